#!/usr/bin/env bash
# Every bundled model (models/*.json) has its data and licence listed in
# models/DATA-LICENSES.md, so a new model cannot ship without them.
#   data_licenses.sh SOURCE_DIR
set -euo pipefail
source=$1
status=0
for manifest in "$source"/models/*.json; do
  name=$(basename "$manifest" .json)
  # A row of the table: | `name` | data | licence |
  grep -q "^| \`$name\` | [^|]*[^ |][^|]* | [^|]*[^ |][^|]* |$" "$source/models/DATA-LICENSES.md" ||
    { echo "FAIL: models/DATA-LICENSES.md has no row for $name (its data and licence)" >&2; status=1; }
done
[ $status = 0 ] && echo "every bundled model is in models/DATA-LICENSES.md"
exit $status
