// mindcards fsrs: the FSRS scheduler's tools (conformance replay, and the
// optimizer's fit and evaluation).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli.h"
#include "mindcards/fsrs.h"
#include "mindcards/fsrs_optimizer.h"
#include "mindcards/fsrs_settings.h"
#include "mindcards/store.h"

namespace mindcards::cli {
namespace {

int RunFsrsReplay(int argc, char** argv) {
  CLI::App app{
      "Replay FSRS conformance vectors (the format of "
      "../shared/fsrs/vectors.json) through the scheduler and compare every "
      "value bit for bit. Prints each mismatch; exits 1 on any.",
      argv[0]};
  std::string input;
  bool quiet = false;
  app.add_option("FILE", input, "vectors file, or - for stdin")->required();
  app.add_flag("-q,--quiet", quiet, "print only the summary");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto text = ReadInput(input);
  if (!text) return Report(text.error(), input);
  size_t printed = 0;
  auto report =
      fsrs::ReplayConformanceVectors(*text, [&](const std::string& line) {
        if (quiet) return;
        fmt::print("{}: mismatch: {}\n", input, line);
        ++printed;
      });
  if (!report) return Report(report.error(), input);
  fmt::print("{}: {} sequences, {} reviews, {} checks, {} mismatches\n", input,
             report->sequences, report->reviews, report->checks,
             report->mismatches);
  return report->mismatches == 0 ? 0 : 1;
}

// Where the review log comes from: a revlog CSV or the study database.
struct LogSource {
  std::string revlog;
  std::string db;
};

void AddLogOptions(CLI::App* app, LogSource* source) {
  app->add_option("REVLOG", source->revlog,
                  "review log CSV: card_id,review_time,review_rating,... "
                  "(review_time in ms; - for stdin)");
  app->add_option("--db", source->db,
                  "read the review log of a mindcards study database instead");
}

// Checks that exactly one source is given; prints a usage error if not.
bool CheckLogSource(const LogSource& source, const char* prog) {
  if (source.revlog.empty() != source.db.empty()) return true;
  fmt::print(stderr,
             "{}: give either a review log CSV or --db FILE (one of them)\n",
             prog);
  return false;
}

// Loads the reviews; `label` receives the name to use in messages.
Result<std::vector<fsrs::ReviewRecord>> LoadReviews(const LogSource& source,
                                                    std::string* label) {
  if (!source.revlog.empty()) {
    *label = source.revlog;
    auto text = ReadInput(source.revlog);
    if (!text) return tl::unexpected(text.error());
    Diagnostics warnings;
    auto reviews = fsrs::ReadRevlogCsv(*text, &warnings);
    ReportWarnings(warnings, source.revlog);
    return reviews;
  }
  *label = source.db;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source.db, ec)) {
    return Fail(ErrorCode::kIo, "no such database file");
  }
  auto store = OpenSqliteStore(source.db);
  if (!store) return tl::unexpected(store.error());
  return FsrsReviewsFromStore(**store);
}

// A progress bar on stderr, redrawn in place.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  ~ProgressBar() { Finish(); }
  bool Update(size_t done, size_t total) {
    if (!enabled_ || total == 0) return true;
    int percent = static_cast<int>(100 * done / total);
    if (percent == last_percent_) return true;
    last_percent_ = percent;
    int filled = percent * 30 / 100;
    fmt::print(stderr, "\roptimizing [{}{}] {:3}%  step {}/{}",
               std::string(filled, '#'), std::string(30 - filled, '.'), percent,
               done, total);
    std::fflush(stderr);
    drawn_ = true;
    return true;
  }
  void Finish() {
    if (drawn_) fmt::print(stderr, "\n");
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  int last_percent_ = -1;
};

void AddFitOptions(CLI::App* app, fsrs::OptimizerOptions* o) {
  app->add_flag(
      "--no-short-term", [o](int64_t) { o->enable_short_term = false; },
      "fit for a scheduler without learning steps / same-day "
      "reviews");
  app->add_option("--relearning-steps", o->num_relearning_steps,
                  "relearning steps the scheduler uses (default 1)");
  app->add_option("--day-start", o->next_day_starts_at_hour,
                  "hour (UTC, 0-23) at which a new day starts (default 0)")
      ->check(CLI::Range(0, 23));
  app->add_option("--epochs", o->epochs, "training epochs (default 5)")
      ->check(CLI::Range(1, 1000));
  app->add_option("--seed", o->seed, "shuffling seed (default 2023)");
}

int RunFsrsOptimize(int argc, char** argv) {
  CLI::App app{
      "Fit the 21 FSRS-6 weights to a review log, as Anki's optimizer "
      "(fsrs-rs) does, and write the scheduler parameters as JSON.",
      argv[0]};
  LogSource source;
  std::string output = "-";
  fsrs::OptimizerOptions options;
  bool quiet = false, progress = false, save = false;
  AddLogOptions(&app, &source);
  app.add_option("-o,--output", output,
                 "where to write the parameters JSON (default: stdout)");
  app.add_flag("--save", save,
               "with --db: store the fitted parameters in the database "
               "(settings fsrs.parameters and fsrs.fit), where studying and\n"
               "the web app pick them up");
  app.add_flag("--progress", progress,
               "show the progress bar even when stderr is not a terminal");
  app.add_flag("-q,--quiet", quiet, "no progress bar and no summary");
  AddFitOptions(&app, &options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (save && source.db.empty()) {
    fmt::print(stderr, "{}: --save needs --db FILE\n", argv[0]);
    return 2;
  }
  if (!CheckLogSource(source, argv[0])) return 2;
  std::string label;
  auto reviews = LoadReviews(source, &label);
  if (!reviews) return Report(reviews.error(), label);
  ProgressBar bar(!quiet && (progress || isatty(2)));
  options.progress = [&](size_t done, size_t total) {
    return bar.Update(done, total);
  };
  auto start = std::chrono::steady_clock::now();
  auto fit = fsrs::Optimize(*reviews, options);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  bar.Finish();
  if (!fit) return Report(fit.error(), label);
  fsrs::Parameters params;
  params.w = fit->w;
  params.enable_short_term = options.enable_short_term;
  params.relearning_steps.assign(options.num_relearning_steps, 10);
  std::string json = fsrs::ParametersToJson(params);
  if (auto ok = WriteOutput(output, json); !ok) {
    return Report(ok.error(), output);
  }
  if (save) {
    auto store = OpenSqliteStore(source.db);
    if (!store) return Report(store.error(), source.db);
    FsrsFitSummary summary =
        SummarizeFit(*reviews, *fit, options,
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
    if (auto ok = SaveFsrsParameters(**store, params, summary); !ok) {
      return Report(ok.error(), source.db);
    }
  }
  if (!quiet) {
    fmt::print(stderr, "{}: {} reviews, {} cards, {} items ({} trained on)\n",
               label, fit->reviews, fit->cards, fit->items, fit->items_used);
    if (!fit->note.empty())
      fmt::print(stderr, "{}: note: {}\n", label, fit->note);
    if (fit->trained) {
      auto fitted = fsrs::Evaluate(*reviews, fit->w, options);
      auto defaults = fsrs::Evaluate(*reviews, fsrs::kDefaultWeights, options);
      if (fitted && defaults) {
        fmt::print(stderr,
                   "{}: best epoch {} of {}; log loss {:.5f} (defaults "
                   "{:.5f}), RMSE(bins) {:.5f} (defaults {:.5f}); {:.2f} s\n",
                   label, fit->best_epoch, options.epochs, fitted->log_loss,
                   defaults->log_loss, fitted->rmse_bins, defaults->rmse_bins,
                   seconds);
      }
    }
  }
  return 0;
}

int RunFsrsEvaluate(int argc, char** argv) {
  CLI::App app{
      "Measure how well FSRS parameters predict a review log: log loss and "
      "RMSE(bins), recency-weighted as fsrs-rs reports them, in-sample and "
      "on a time-series split (5 fits, each on the reviews before the part "
      "it predicts).",
      argv[0]};
  LogSource source;
  std::string params_file;
  bool no_split = false;
  fsrs::OptimizerOptions options;
  AddLogOptions(&app, &source);
  app.add_option("--params", params_file,
                 "parameters JSON (from fsrs optimize); default: the FSRS-6 "
                 "defaults");
  app.add_flag("--no-split", no_split, "skip the time-series split");
  AddFitOptions(&app, &options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!CheckLogSource(source, argv[0])) return 2;
  fsrs::Weights w = fsrs::kDefaultWeights;
  if (!params_file.empty()) {
    auto text = ReadInput(params_file);
    if (!text) return Report(text.error(), params_file);
    auto params = fsrs::ParametersFromJson(*text);
    if (!params) return Report(params.error(), params_file);
    w = params->w;
  }
  std::string label;
  auto reviews = LoadReviews(source, &label);
  if (!reviews) return Report(reviews.error(), label);
  auto in_sample = fsrs::Evaluate(*reviews, w, options);
  if (!in_sample) return Report(in_sample.error(), label);
  fmt::print("parameters: {}\n",
             params_file.empty() ? "FSRS-6 defaults" : params_file);
  fmt::print(
      "in-sample:         log loss {:.5f}  RMSE(bins) {:.5f}  ({} items)\n",
      in_sample->log_loss, in_sample->rmse_bins, in_sample->items);
  if (!no_split) {
    auto split = fsrs::EvaluateTimeSeriesSplit(*reviews, options);
    if (!split) return Report(split.error(), label);
    fmt::print(
        "time-series split: log loss {:.5f}  RMSE(bins) {:.5f}  ({} items, "
        "5 fits on earlier reviews)\n",
        split->log_loss, split->rmse_bins, split->items);
  }
  return 0;
}

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

constexpr Subcommand kSubcommands[] = {
    {"replay", "replay conformance vectors bit for bit (exit 1 on mismatch)",
     &RunFsrsReplay},
    {"optimize", "fit FSRS parameters to a review log (CSV or --db)",
     &RunFsrsOptimize},
    {"evaluate", "log loss and RMSE(bins) of parameters on a review log",
     &RunFsrsEvaluate},
};

void PrintFsrsUsage(std::FILE* out, const char* prog) {
  fmt::print(out,
             "FSRS-6 scheduling tools.\n\nusage: {} SUBCOMMAND [ARGS...]\n\n"
             "subcommands:\n",
             prog);
  for (const Subcommand& s : kSubcommands) {
    fmt::print(out, "  {:<10} {}\n", s.name, s.summary);
  }
  fmt::print(out, "\nRun '{} SUBCOMMAND --help' for its options.\n", prog);
}

}  // namespace

int RunFsrs(int argc, char** argv) {
  if (argc < 2) {
    PrintFsrsUsage(stderr, argv[0]);
    return 2;
  }
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    PrintFsrsUsage(stdout, argv[0]);
    return 0;
  }
  for (const Subcommand& s : kSubcommands) {
    if (first == s.name) {
      std::string name = std::string(argv[0]) + " " + s.name;
      std::vector<char*> args(argv + 1, argv + argc);
      args[0] = name.data();
      return s.run(static_cast<int>(args.size()), args.data());
    }
  }
  fmt::print(stderr, "{}: unknown subcommand '{}'; run '{} --help'\n", argv[0],
             first, argv[0]);
  return 2;
}

}  // namespace mindcards::cli
