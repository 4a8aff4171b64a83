// `mindcards study`: a review session in the terminal. Reads answers line by
// line from stdin, so it works the same on a terminal and on a pipe.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/cli.h"
#include "mindcards/fsrs.h"
#include "mindcards/fsrs_settings.h"
#include "mindcards/grade.h"
#include "mindcards/store.h"
#include "mindcards/study_store.h"
#include "mindcards/text.h"

namespace mindcards::cli {
namespace {

constexpr int64_t kLearnAheadMs = 20 * 60 * 1000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Prints and flushes, so that prompts show before we block on input.
template <typename... Args>
void Say(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(format, std::forward<Args>(args)...);
  std::fflush(stdout);
}

// One line of input without its line ending; nullopt at end of input.
// Input from a pipe is echoed, so that the transcript reads as a dialogue.
std::optional<std::string> ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    Say("\n");
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  static const bool echo = isatty(STDIN_FILENO) == 0;
  if (echo) Say("{}\n", line);
  return line;
}

bool IsQuit(std::string_view s) {
  std::string t = AsciiLower(Trim(s));
  return t == "q" || t == "quit" || t == ":q";
}

// "1".."4" or a rating's name or initial; 0 when it is neither.
int ParseRating(std::string_view s) {
  std::string t = AsciiLower(Trim(s));
  if (t == "1" || t == "a" || t == "again") return 1;
  if (t == "2" || t == "h" || t == "hard") return 2;
  if (t == "3" || t == "g" || t == "good") return 3;
  if (t == "4" || t == "e" || t == "easy") return 4;
  return 0;
}

std::string_view RatingWord(int rating) {
  return fsrs::RatingName(static_cast<fsrs::Rating>(rating));
}

struct Session {
  Store* store = nullptr;
  MapKey map_id = 0;
  size_t new_per_day = 20;
  size_t limit = 0;  // 0: no limit
  bool bold = false;
  fsrs::Scheduler scheduler;
  size_t reviewed = 0;
  size_t correct = 0;
};

// The next card: due ones (then new ones within the daily limit); when none
// is left, learning cards due within the next minutes.
Result<std::optional<StoredCard>> NextCard(const Session& s, int64_t now) {
  QueueOptions q;
  q.map_id = s.map_id;
  q.now_ms = now;
  q.limit = 1;
  q.new_per_day = s.new_per_day;
  auto queue = s.store->Queue(q);
  if (!queue) return tl::unexpected(queue.error());
  if (queue->empty()) {
    q.now_ms = now + kLearnAheadMs;
    q.new_per_day = 0;
    queue = s.store->Queue(q);
    if (!queue) return tl::unexpected(queue.error());
  }
  if (queue->empty()) return std::optional<StoredCard>();
  return std::optional<StoredCard>(std::move(queue->front()));
}

// Shows one card and records the review. Returns false when the student
// quit (q or end of input).
Result<bool> StudyOne(Session& s, const StoredCard& stored, int64_t now) {
  Card card = FromStoredCard(stored);
  std::string state(
      fsrs::StateName(static_cast<fsrs::State>(stored.schedule.state)));
  Say("\n[{}] {} card, {}\n", s.reviewed + 1, stored.kind, AsciiLower(state));
  if (!stored.context.empty()) Say("{}\n", stored.context);
  if (s.bold) {
    Say("  \x1b[1m{}\x1b[0m\n", stored.front);
  } else {
    Say("  {}\n", stored.front);
  }
  for (size_t i = 0; i < card.choices.size(); ++i) {
    Say("    {}) {}\n", i + 1, card.choices[i]);
  }
  Say("answer (Enter shows it, q quits)> ");
  auto start = std::chrono::steady_clock::now();
  auto answer = ReadLine();
  if (!answer || IsQuit(*answer)) return false;
  int64_t response_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
  Grade grade = GradeCard(*answer, card, response_ms);
  if (grade.how == MatchKind::kEmpty) {
    Say("Answer: {}\n", stored.back);
  } else {
    Say("{}\n", grade.feedback);
    // A wrong answer's feedback already names the answer.
    if (grade.how == MatchKind::kList && !grade.correct) {
      Say("Answer: {}\n", stored.back);
    }
  }
  fsrs::Card before = FromSchedule(stored.schedule, now);
  auto outcomes = s.scheduler.Preview(before, now);
  if (!outcomes) return tl::unexpected(outcomes.error());
  std::string buttons;
  for (int r = 1; r <= 4; ++r) {
    const fsrs::Card& next = (*outcomes)[static_cast<fsrs::Rating>(r)];
    buttons += fmt::format("  {} {} ({})", r, RatingWord(r),
                           fsrs::FormatInterval(now, next.due_ms));
  }
  Say("{}\n", buttons);
  int suggested = grade.suggested_rating;
  int rating = 0;
  while (rating == 0) {
    if (suggested != 0) {
      Say("rate 1-4 (Enter = {} {}, q quits)> ", suggested,
          RatingWord(suggested));
    } else {
      Say("rate 1-4 (q quits)> ");
    }
    auto line = ReadLine();
    if (!line || IsQuit(*line)) return false;
    if (Trim(*line).empty()) {
      rating = suggested;
    } else {
      rating = ParseRating(*line);
      if (rating == 0) Say("Type 1, 2, 3 or 4.\n");
    }
  }
  ReviewRequest review;
  review.map_id = stored.map_id;
  review.card_id = stored.id;
  review.rating = rating;
  review.answer = *answer;
  review.now_ms = now;
  review.response_ms = response_ms;
  auto done = ReviewCard(*s.store, s.scheduler, review);
  if (!done) return tl::unexpected(done.error());
  ++s.reviewed;
  if (rating > 1) ++s.correct;
  Say("Saved: {}, next in {}.\n", RatingWord(rating),
      fsrs::FormatInterval(now, done->after.due_ms));
  return true;
}

}  // namespace

int RunStudy(int argc, char** argv) {
  CLI::App app{
      "Study a map's cards in the terminal: due cards first, then new ones.\n"
      "Type an answer (or press Enter to see it), then rate how well you\n"
      "knew it: 1 Again, 2 Hard, 3 Good, 4 Easy (Enter accepts the suggested\n"
      "rating). q quits. Reviews are saved at once and kept across runs and\n"
      "re-imports of the map.",
      argv[0]};
  std::string input;
  std::string from = "auto";
  std::string db;
  size_t new_per_day = 20;
  size_t limit = 0;
  app.add_option("IN", input, "map file (stdin carries the answers)")
      ->required();
  app.add_option("-f,--from", from, "input format (default: detect)");
  app.add_option("--db", db,
                 "database file (default: "
                 "$XDG_DATA_HOME/mindcards/mindcards.db or "
                 "~/.local/share/mindcards/mindcards.db)");
  app.add_option("--new", new_per_day, "new cards per day (default 20)");
  app.add_option("--limit", limit,
                 "stop after this many reviews (default: no limit)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (input == "-") {
    fmt::print(stderr,
               "mindcards study: the map cannot come from stdin, which "
               "carries the answers; give a file\n");
    return 2;
  }
  if (db.empty()) db = DefaultStorePath();
  if (db.empty()) {
    fmt::print(stderr,
               "mindcards study: HOME is not set; choose a file with --db\n");
    return 2;
  }
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  ReportWarnings(diagnostics, input);
  if (!map) return Report(map.error());
  auto store = OpenSqliteStore(db);
  if (!store) return Report(store.error(), db);

  ImportRequest request;
  std::error_code ec;
  request.source_key =
      "file:" + std::filesystem::weakly_canonical(input, ec).string();
  if (ec) request.source_key = "file:" + input;
  request.now_ms = NowMs();
  auto imported = ImportMap(**store, *map, request);
  if (!imported) return Report(imported.error(), db);
  auto stored_map = (*store)->GetMap(imported->map_id);
  if (!stored_map) return Report(stored_map.error(), db);
  auto stats = (*store)->Stats(imported->map_id, NowMs());
  if (!stats) return Report(stats.error(), db);
  size_t new_left =
      new_per_day > stats->new_today
          ? std::min(new_per_day - stats->new_today, stats->new_cards)
          : 0;
  Say("{}: {} cards ({} new, {} learning, {} review)", stored_map->name,
      stats->cards, stats->new_cards, stats->learning, stats->review);
  const SyncResult& sync = imported->sync;
  if (sync.added + sync.updated + sync.retired + sync.revived > 0 &&
      sync.added != imported->cards) {
    Say("; map changed: {} added, {} updated, {} retired", sync.added,
        sync.updated, sync.retired);
  }
  Say("\nDue now: {}. New today: {}. Database: {}\n", stats->due_now, new_left,
      db);
  StoredFsrsParameters stored_params = LoadFsrsParameters(**store);
  if (!stored_params.warning.empty()) {
    fmt::print(stderr, "{}: warning: {}\n", db, stored_params.warning);
  }
  auto scheduler = fsrs::Scheduler::Create(stored_params.parameters);
  if (!scheduler) return Report(scheduler.error(), db);
  Say("Scheduler: {}.\n", DescribeFsrsParameters(stored_params));
  Say("Type the answer, or press Enter to see it; q quits.\n");

  Session session;
  session.scheduler = *scheduler;
  session.store = store->get();
  session.map_id = imported->map_id;
  session.new_per_day = new_per_day;
  session.limit = limit;
  session.bold = isatty(STDOUT_FILENO) != 0;
  for (;;) {
    if (limit != 0 && session.reviewed >= limit) break;
    int64_t now = NowMs();
    auto next = NextCard(session, now);
    if (!next) return Report(next.error(), db);
    if (!next->has_value()) {
      Say("\nNothing more to study now.\n");
      break;
    }
    auto more = StudyOne(session, **next, now);
    if (!more) return Report(more.error(), db);
    if (!*more) break;
  }
  Say("\nReviewed {} card{} this session ({} not Again). Progress is saved.\n",
      session.reviewed, session.reviewed == 1 ? "" : "s", session.correct);
  return 0;
}

}  // namespace mindcards::cli
