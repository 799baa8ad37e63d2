#!/bin/sh
# usage: zoo_roundtrip.sh LSTMSCOPE_CLI SOURCE_DIR WORK_DIR
# Runs tests/models/zoo_roundtrip.py with Debian's python3-torch
# (/usr/bin/python3, or $LSTMSCOPE_PYTHON). Exits 77, ctest's SKIP_RETURN_CODE,
# with a visible message when that Python cannot import torch.
cli="$1"; src="$2"; work="$3"
python="${LSTMSCOPE_PYTHON:-/usr/bin/python3}"
if ! "$python" -c "import torch" >/dev/null 2>&1; then
  echo "SKIPPED: $python has no torch (install python3-torch to run the zoo round trip)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work" || exit 1
exec "$python" "$src/tests/models/zoo_roundtrip.py" --cli "$cli" --out "$work"
