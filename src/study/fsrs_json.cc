// Parameters to and from JSON (the form ts-fsrs's generatorParameters takes).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "mindcards/fsrs.h"

namespace mindcards::fsrs {
namespace {

using nlohmann::json;

Result<std::vector<int32_t>> StepsFromJson(const json& value,
                                           std::string_view key) {
  if (!value.is_array()) {
    return BadInput(
        fmt::format("\"{}\": expected an array of steps such as "
                    "[\"1m\", \"10m\"]",
                    key));
  }
  std::vector<int32_t> steps;
  for (const json& item : value) {
    if (item.is_string()) {
      auto minutes = ParseStep(item.get<std::string>());
      if (!minutes) {
        return BadInput(
            fmt::format("\"{}\": {}", key, minutes.error().message));
      }
      steps.push_back(*minutes);
    } else if (item.is_number_integer() && item.get<int64_t>() >= 0 &&
               item.get<int64_t>() <= 1000000000) {
      steps.push_back(static_cast<int32_t>(item.get<int64_t>()));  // minutes
    } else {
      return BadInput(fmt::format(
          "\"{}\": expected steps such as \"10m\", got {}", key, item.dump()));
    }
  }
  return steps;
}

}  // namespace

Result<Parameters> ParametersFromJson(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return BadInput("FSRS parameters: not valid JSON");
  }
  if (!doc.is_object()) {
    return BadInput("FSRS parameters: expected a JSON object");
  }
  Parameters p;
  if (auto it = doc.find("learning_steps"); it != doc.end()) {
    auto steps = StepsFromJson(*it, "learning_steps");
    if (!steps) return tl::unexpected(steps.error());
    p.learning_steps = *steps;
  }
  if (auto it = doc.find("relearning_steps"); it != doc.end()) {
    auto steps = StepsFromJson(*it, "relearning_steps");
    if (!steps) return tl::unexpected(steps.error());
    p.relearning_steps = *steps;
  }
  auto get_bool = [&](const char* key, bool* out) -> Result<void> {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return {};
    if (!it->is_boolean()) {
      return BadInput(fmt::format("\"{}\": expected true or false", key));
    }
    *out = it->get<bool>();
    return {};
  };
  if (auto r = get_bool("enable_short_term", &p.enable_short_term); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = get_bool("enable_fuzz", &p.enable_fuzz); !r) {
    return tl::unexpected(r.error());
  }
  if (auto it = doc.find("request_retention"); it != doc.end()) {
    if (!it->is_number()) {
      return BadInput("\"request_retention\": expected a number in (0, 1]");
    }
    p.request_retention = it->get<double>();
  }
  if (auto it = doc.find("maximum_interval"); it != doc.end()) {
    if (!it->is_number() || it->get<double>() < 1 || it->get<double>() > 1e9) {
      return BadInput("\"maximum_interval\": expected a number of days >= 1");
    }
    p.maximum_interval = static_cast<int32_t>(it->get<double>());
  }
  if (auto it = doc.find("w"); it != doc.end()) {
    if (!it->is_array()) {
      return BadInput("\"w\": expected an array of 21 numbers");
    }
    std::vector<double> w;
    for (const json& x : *it) {
      if (!x.is_number()) {
        return BadInput(
            fmt::format("\"w\": expected numbers, got {}", x.dump()));
      }
      w.push_back(x.get<double>());
    }
    auto migrated =
        MigrateWeights(w, p.relearning_steps.size(), p.enable_short_term);
    if (!migrated) {
      return BadInput(fmt::format("\"w\": {}", migrated.error().message));
    }
    p.w = *migrated;
  }
  auto valid = Scheduler::Create(p);
  if (!valid) return tl::unexpected(valid.error());
  return p;
}

std::string ParametersToJson(const Parameters& p) {
  json doc;
  doc["w"] = std::vector<double>(p.w.begin(), p.w.end());
  doc["request_retention"] = p.request_retention;
  doc["maximum_interval"] = p.maximum_interval;
  doc["enable_fuzz"] = p.enable_fuzz;
  doc["enable_short_term"] = p.enable_short_term;
  auto steps = [](const std::vector<int32_t>& minutes) {
    json out = json::array();
    for (int32_t m : minutes) out.push_back(StepToString(m));
    return out;
  };
  doc["learning_steps"] = steps(p.learning_steps);
  doc["relearning_steps"] = steps(p.relearning_steps);
  return doc.dump(2) + "\n";
}

}  // namespace mindcards::fsrs
