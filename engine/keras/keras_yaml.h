// A Keras architecture saved with `model.to_yaml()` (Keras 2 / tf.keras up to
// 2.5), read with Debian's yaml-cpp into the JSON that `model.to_json()`
// gives for the same model, so parse_model_config reads either.
//
// to_yaml() is PyYAML's yaml.dump, so the text follows PyYAML, not YAML 1.2:
//  * plain scalars are typed by PyYAML's YAML 1.1 resolver: null (~, null,
//    Null, NULL, empty), bool (true/false and yes/no/on/off in three
//    casings), int (sign, 0b, 0x, leading-0 octal, _ separators, 1:30
//    sexagesimal) and float (a dot is required: 0.001, 1.0e-05, .inf, -.Inf,
//    .nan; "1e-05" stays a string, as in PyYAML); quoted scalars are strings;
//  * Python objects carry tags: !!python/tuple is a list; a
//    !!python/object/new: or !!python/object/apply: object (TensorFlow's
//    _ListWrapper around `axis`) becomes its listitems, else its dictitems,
//    else its state, else its args; a !!python/object: mapping is its state;
//    any other tag is ignored (the value is read as if untagged);
//  * `<<` merge keys are applied, as PyYAML does.
// A file that is one YAML string holding the YAML (yaml.dump applied to the
// output of to_yaml(), as in the jiahenghuang sample) is decoded again, up
// to four times. Mapping keys become their text. .inf/.nan are stored as
// doubles (nlohmann::json writes them as null).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace lstmscope::keras {

// Throws Error "<file>: ..." for text that is not YAML (with the line and
// column), nesting deeper than 256 levels, aliases that expand past a
// million values, and documents that are not a mapping. `file` is only used
// in messages.
nlohmann::json keras_yaml_to_json(const std::string& text, const std::string& file);

}  // namespace lstmscope::keras
