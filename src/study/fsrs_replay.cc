// Conformance replay against vectors recorded from ts-fsrs 5.4.2
// (../shared/fsrs/gen_vectors.mjs). Doubles are compared with ==, never
// with a tolerance: the port must be exact.
#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "mindcards/fsrs.h"
#include "study/fsrs_internal.h"

namespace mindcards::fsrs {
namespace {

using nlohmann::json;

// Same bits (so 0.0 != -0.0 and NaN == NaN of the same payload).
bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

class Checker {
 public:
  explicit Checker(const std::function<void(const std::string&)>& sink)
      : sink_(sink) {}

  void Double(const std::string& where, double expected, double got) {
    ++report_.checks;
    if (!SameBits(expected, got)) {
      Mismatch(fmt::format("{}: expected {}, got {}", where, expected, got));
    }
  }
  void Int(const std::string& where, int64_t expected, int64_t got) {
    ++report_.checks;
    if (expected != got) {
      Mismatch(fmt::format("{}: expected {}, got {}", where, expected, got));
    }
  }
  void String(const std::string& where, const std::string& expected,
              const std::string& got) {
    ++report_.checks;
    if (expected != got) {
      Mismatch(
          fmt::format("{}: expected \"{}\", got \"{}\"", where, expected, got));
    }
  }
  void Mismatch(const std::string& line) {
    ++report_.mismatches;
    if (sink_) sink_(line);
  }

  ConformanceReport& report() { return report_; }

 private:
  const std::function<void(const std::string&)>& sink_;
  ConformanceReport report_;
};

// Builds the parameters ts-fsrs's generatorParameters makes from a config's
// "input" props.
Result<Parameters> ConfigParameters(const json& input) {
  auto p = ParametersFromJson(input.dump());
  if (!p) return p;
  return p;
}

void CompareCard(Checker* check, const std::string& where, const json& expected,
                 const Card& got, bool with_counters) {
  static const char* const kFields[] = {
      "state", "stability",      "difficulty", "scheduled_days",
      "due",   "learning_steps", "reps",       "lapses"};
  check->Int(where + "." + kFields[0], expected.at(0).get<int64_t>(),
             static_cast<int64_t>(got.state));
  check->Double(where + "." + kFields[1], expected.at(1).get<double>(),
                got.stability);
  check->Double(where + "." + kFields[2], expected.at(2).get<double>(),
                got.difficulty);
  check->Int(where + "." + kFields[3], expected.at(3).get<int64_t>(),
             got.scheduled_days);
  check->Int(where + "." + kFields[4], expected.at(4).get<int64_t>(),
             got.due_ms);
  check->Int(where + "." + kFields[5], expected.at(5).get<int64_t>(),
             got.learning_steps);
  if (with_counters) {
    check->Int(where + "." + kFields[6], expected.at(6).get<int64_t>(),
               got.reps);
    check->Int(where + "." + kFields[7], expected.at(7).get<int64_t>(),
               got.lapses);
  }
}

Result<void> ReplaySequences(const json& doc, Checker* check) {
  std::map<std::string, Scheduler> schedulers;
  for (const auto& [name, config] : doc.at("configs").items()) {
    auto params = ConfigParameters(config.at("input"));
    if (!params) {
      check->Mismatch(
          fmt::format("config {}: {}", name, params.error().message));
      continue;
    }
    auto scheduler = Scheduler::Create(*params);
    if (!scheduler) {
      check->Mismatch(
          fmt::format("config {}: {}", name, scheduler.error().message));
      continue;
    }
    const json& eff = config.at("effective");
    for (int i = 0; i < kNumWeights; ++i) {
      check->Double(fmt::format("config {} w[{}]", name, i),
                    eff.at("w").at(i).get<double>(), scheduler->weights()[i]);
    }
    check->Double(fmt::format("config {} decay", name),
                  config.at("decay").get<double>(), scheduler->decay());
    check->Double(fmt::format("config {} factor", name),
                  config.at("factor").get<double>(), scheduler->factor());
    check->Double(fmt::format("config {} interval_modifier", name),
                  config.at("interval_modifier").get<double>(),
                  scheduler->interval_modifier());
    schedulers.emplace(name, *scheduler);
  }
  const json& sequences = doc.at("sequences");
  for (size_t i = 0; i < sequences.size(); ++i) {
    const json& seq = sequences[i];
    std::string cfg = seq.at("cfg").get<std::string>();
    auto it = schedulers.find(cfg);
    if (it == schedulers.end()) {
      check->Mismatch(fmt::format("sequence {}: unknown config {}", i, cfg));
      continue;
    }
    const Scheduler& scheduler = it->second;
    ++check->report().sequences;
    Card card = NewCard(seq.at("created").get<int64_t>());
    const json& steps = seq.at("steps");
    for (size_t k = 0; k < steps.size(); ++k) {
      const json& step = steps[k];
      ++check->report().reviews;
      std::string where =
          fmt::format("sequence {} ({}, {}) review {}", i, cfg,
                      seq.at("profile").get<std::string>(), k + 1);
      int64_t t = step.at("t").get<int64_t>();
      auto rating = RatingFromInt(step.at("g").get<int>());
      if (!rating) {
        check->Mismatch(where + ": " + rating.error().message);
        break;
      }
      int64_t elapsed = card.state == State::kNew || !card.last_review_ms
                            ? 0
                            : DaysBetween(*card.last_review_ms, t);
      check->Int(where + " elapsed_days", step.at("e").get<int64_t>(), elapsed);
      if (!step.at("r").is_null()) {
        check->Double(where + " r", step.at("r").get<double>(),
                      scheduler.ForgettingCurve(static_cast<double>(elapsed),
                                                card.stability));
      }
      check->Double(where + " ra", step.at("ra").get<double>(),
                    scheduler.Retrievability(card, t));
      if (step.contains("seed")) {
        std::string seed = detail::FuzzSeed(t, card.reps + 1,
                                            card.difficulty * card.stability);
        check->String(where + " seed", step.at("seed").get<std::string>(),
                      seed);
        check->Double(where + " u", step.at("u").get<double>(),
                      detail::Alea(seed).Next());
      }
      auto preview = scheduler.Preview(card, t);
      if (!preview) {
        check->Mismatch(where + ": " + preview.error().message);
        break;
      }
      for (int g = 1; g <= 4; ++g) {
        CompareCard(check,
                    fmt::format("{} preview {}", where,
                                RatingName(static_cast<Rating>(g))),
                    step.at("all").at(g - 1), preview->cards[g - 1], false);
      }
      auto next = scheduler.Next(card, t, *rating);
      if (!next) {
        check->Mismatch(where + ": " + next.error().message);
        break;
      }
      CompareCard(check, where + " out", step.at("out"), *next, true);
      check->Int(where + " out.elapsed_days", step.at("e").get<int64_t>(),
                 next->elapsed_days);
      card = *next;
    }
  }
  return {};
}

void ReplayUnits(const json& unit, Checker* check) {
  for (const json& v : unit.value("decay_factor", json::array())) {
    check->Double(fmt::format("decay_factor({})", v[0].get<double>()),
                  v[1].get<double>(), detail::DecayFactor(v[0].get<double>()));
  }
  for (const json& v : unit.value("forgetting_curve", json::array())) {
    Parameters p;
    p.w[20] = v[0].get<double>();
    Scheduler s = *Scheduler::Create(p);
    check->Double(
        fmt::format("forgetting_curve(decay {}, t {}, s {})",
                    v[0].get<double>(), v[1].get<double>(), v[2].get<double>()),
        v[3].get<double>(),
        s.ForgettingCurve(v[1].get<double>(), v[2].get<double>()));
  }
  for (const json& v : unit.value("interval_modifier", json::array())) {
    Parameters p;
    p.w[20] = v[0].get<double>();
    p.request_retention = v[1].get<double>();
    auto s = Scheduler::Create(p);
    check->Double(fmt::format("interval_modifier(decay {}, retention {})",
                              v[0].get<double>(), v[1].get<double>()),
                  v[2].get<double>(), s ? s->interval_modifier() : NAN);
  }
  for (const json& v : unit.value("fuzz_range", json::array())) {
    auto r = detail::GetFuzzRange(v[0].get<double>(), v[1].get<double>(),
                                  v[2].get<double>());
    std::string where =
        fmt::format("fuzz_range({}, {}, {})", v[0].get<double>(),
                    v[1].get<double>(), v[2].get<double>());
    check->Double(where + ".min", v[3].get<double>(), r.min_ivl);
    check->Double(where + ".max", v[4].get<double>(), r.max_ivl);
  }
  for (const json& v : unit.value("next_state", json::array())) {
    Parameters p;
    p.enable_short_term = v[0].get<bool>();
    Scheduler s = *Scheduler::Create(p);
    double d = v[1].get<double>(), st = v[2].get<double>(),
           t = v[3].get<double>();
    int g = v[4].get<int>();
    std::string where =
        fmt::format("next_state(short_term {}, D {}, S {}, t {}, g {})",
                    p.enable_short_term, d, st, t, g);
    auto m = s.NextState(MemoryState{st, d}, t, static_cast<Rating>(g));
    if (!m) {
      check->Mismatch(where + ": " + m.error().message);
      continue;
    }
    check->Double(where + ".D", v[5].get<double>(), m->difficulty);
    check->Double(where + ".S", v[6].get<double>(), m->stability);
  }
  for (const json& v : unit.value("params", json::array())) {
    std::vector<double> w = v[0].get<std::vector<double>>();
    size_t n = v[1].get<size_t>();
    bool st = v[2].get<bool>();
    std::string where = fmt::format(
        "params(len {}, relearning steps {}, short_term {})", w.size(), n, st);
    auto eff = MigrateWeights(w, n, st);
    if (!eff) {
      check->Mismatch(where + ": " + eff.error().message);
      continue;
    }
    const json& expected = v[3];
    check->Int(where + " length", static_cast<int64_t>(expected.size()),
               kNumWeights);
    for (size_t i = 0; i < expected.size() && i < kNumWeights; ++i) {
      check->Double(fmt::format("{} w[{}]", where, i),
                    expected[i].get<double>(), (*eff)[i]);
    }
  }
}

void ReplayAlea(const json& doc, Checker* check) {
  for (const json& v : doc.value("alea", json::array())) {
    std::string seed = v.at("seed").get<std::string>();
    detail::Alea alea(seed);
    std::string where = fmt::format("alea(\"{}\")", seed);
    const json& st = v.at("state");
    check->Double(where + ".c", st.at("c").get<double>(), alea.c());
    check->Double(where + ".s0", st.at("s0").get<double>(), alea.s0());
    check->Double(where + ".s1", st.at("s1").get<double>(), alea.s1());
    check->Double(where + ".s2", st.at("s2").get<double>(), alea.s2());
    for (size_t i = 0; i < v.at("out").size(); ++i) {
      check->Double(fmt::format("{} output {}", where, i + 1),
                    v.at("out")[i].get<double>(), alea.Next());
    }
  }
  for (const json& v : doc.value("number_to_string", json::array())) {
    double x = v[0].get<double>();
    check->String(fmt::format("String({})", x), v[1].get<std::string>(),
                  detail::JsNumberToString(x));
  }
}

}  // namespace

Result<ConformanceReport> ReplayConformanceVectors(
    std::string_view text,
    const std::function<void(const std::string&)>& on_mismatch) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return BadInput("not valid JSON");
  if (!doc.is_object() || !doc.contains("configs") ||
      !doc.contains("sequences")) {
    return BadInput(
        "not an FSRS vectors file: expected an object with \"configs\" and "
        "\"sequences\"");
  }
  Checker check(on_mismatch);
  try {
    auto ok = ReplaySequences(doc, &check);
    if (!ok) return tl::unexpected(ok.error());
    if (doc.contains("unit")) ReplayUnits(doc.at("unit"), &check);
    ReplayAlea(doc, &check);
  } catch (const json::exception& e) {
    return BadInput(fmt::format("malformed vectors file: {}", e.what()));
  }
  return check.report();
}

}  // namespace mindcards::fsrs
