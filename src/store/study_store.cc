#include "mindcards/study_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<FactType> ParseFactType(std::string_view name) {
  for (FactType t :
       {FactType::kDate, FactType::kNumber, FactType::kName, FactType::kText}) {
    if (FactTypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string MapName(const Map& map) {
  if (!Trim(map.meta().title).empty()) {
    return FoldWhitespace(map.meta().title);
  }
  if (!map.empty()) return FoldWhitespace(map.node(map.root()).text);
  return "untitled map";
}

}  // namespace

StoredCard ToStoredCard(const Card& card) {
  StoredCard s;
  s.id = card.id;
  s.kind = std::string(CardKindName(card.kind));
  s.front = card.front;
  s.back = card.back;
  for (const std::string& c : card.context) {
    if (!s.context.empty()) s.context += " \u203A ";
    s.context += c;
  }
  s.node = card.node == kNoNode ? std::string() : std::to_string(card.node);
  s.choices = card.choices;
  json extra = {{"context", card.context.headings()},
                {"answers", card.answers},
                {"list", card.is_list},
                {"ordered", card.ordered},
                {"type", FactTypeName(card.fact_type)},
                {"era", card.era},
                {"hint", card.hint},
                {"cloze", card.cloze}};
  s.extra_json = Dump(extra);
  return s;
}

Card FromStoredCard(const StoredCard& stored) {
  Card c;
  c.id = stored.id;
  c.kind = ParseCardKind(stored.kind).value_or(CardKind::kCloze);
  c.front = stored.front;
  c.back = stored.back;
  c.choices = stored.choices;
  if (!stored.node.empty() &&
      stored.node.find_first_not_of("0123456789") == std::string::npos &&
      stored.node.size() <= 9) {
    c.node = static_cast<NodeId>(std::stoul(stored.node));
  }
  json extra = json::parse(stored.extra_json, nullptr, false);
  if (!extra.is_object()) extra = json::object();
  auto strings = [&](const char* key) {
    std::vector<std::string> out;
    auto it = extra.find(key);
    if (it == extra.end() || !it->is_array()) return out;
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
  };
  c.context = strings("context");
  if (c.context.empty() && !stored.context.empty()) {
    c.context = {stored.context};
  }
  c.answers = strings("answers");
  if (c.answers.empty()) c.answers = {stored.back};
  c.is_list = extra.value("list", false);
  c.ordered = extra.value("ordered", false);
  c.fact_type = ParseFactType(extra.value("type", std::string()))
                    .value_or(FactType::kText);
  c.era = extra.value("era", 0);
  c.hint = extra.value("hint", std::string());
  c.cloze = extra.value("cloze", std::string());
  return c;
}

CardSchedule ToSchedule(const fsrs::Card& card) {
  CardSchedule s;
  s.state = static_cast<CardState>(card.state);
  s.due_ms = card.due_ms;
  s.stability = card.stability;
  s.difficulty = card.difficulty;
  s.elapsed_days = card.elapsed_days;
  s.scheduled_days = card.scheduled_days;
  s.learning_steps = card.learning_steps;
  s.reps = card.reps;
  s.lapses = card.lapses;
  s.last_review_ms = card.last_review_ms.value_or(0);
  return s;
}

fsrs::Card FromSchedule(const CardSchedule& schedule, int64_t now_ms) {
  if (schedule.state == CardState::kNew && schedule.reps == 0) {
    return fsrs::NewCard(now_ms);
  }
  fsrs::Card c;
  c.state = static_cast<fsrs::State>(schedule.state);
  c.due_ms = schedule.due_ms;
  c.stability = schedule.stability;
  c.difficulty = schedule.difficulty;
  c.elapsed_days = static_cast<int32_t>(schedule.elapsed_days);
  c.scheduled_days = static_cast<int32_t>(schedule.scheduled_days);
  c.learning_steps = schedule.learning_steps;
  c.reps = schedule.reps;
  c.lapses = schedule.lapses;
  if (schedule.last_review_ms != 0) c.last_review_ms = schedule.last_review_ms;
  return c;
}

Result<ImportResult> ImportMap(Store& store, const Map& map,
                               const ImportRequest& request) {
  auto document = WriteMap(map, "json");
  if (!document) return tl::unexpected(document.error());
  MapRecord record;
  record.name = request.name.empty() ? MapName(map) : request.name;
  record.source_key = request.source_key;
  record.source_format = request.source_format.empty()
                             ? map.meta().source_format
                             : request.source_format;
  record.document = std::move(*document);
  record.document_format = "json";
  record.created_ms = request.now_ms;
  record.updated_ms = request.now_ms;
  auto id = store.PutMap(record, &map);
  if (!id) return tl::unexpected(id.error());
  std::vector<Card> cards = GenerateCards(map, request.card_options);
  std::vector<StoredCard> stored;
  stored.reserve(cards.size());
  for (const Card& c : cards) stored.push_back(ToStoredCard(c));
  auto sync = store.SyncCards(*id, stored);
  if (!sync) return tl::unexpected(sync.error());
  ImportResult result;
  result.map_id = *id;
  result.cards = cards.size();
  result.sync = *sync;
  return result;
}

Result<ReviewResult> ReviewCard(Store& store, const fsrs::Scheduler& scheduler,
                                const ReviewRequest& request) {
  auto stored = store.GetCard(request.map_id, request.card_id);
  if (!stored) return tl::unexpected(stored.error());
  ReviewResult result;
  result.grade =
      GradeCard(request.answer, FromStoredCard(*stored), request.response_ms);
  int rating = request.rating;
  if (rating == 0) rating = result.grade.suggested_rating;
  if (rating < 1 || rating > 4) {
    return Fail(
        ErrorCode::kUsage,
        request.rating == 0
            ? std::string("no answer was typed, so a rating 1-4 is "
                          "needed")
            : fmt::format("rating must be 1 to 4, got {}", request.rating));
  }
  result.rating = rating;
  result.before = FromSchedule(stored->schedule, request.now_ms);
  auto after = scheduler.Next(result.before, request.now_ms,
                              static_cast<fsrs::Rating>(rating));
  if (!after) return tl::unexpected(after.error());
  result.after = *after;
  ReviewRecord log;
  log.map_id = stored->map_id;
  log.card_id = stored->id;
  log.time_ms = request.now_ms;
  log.rating = rating;
  log.answer = request.answer;
  log.grade = result.grade.how == MatchKind::kEmpty ? -1 : result.grade.score;
  log.suggested_rating = result.grade.suggested_rating;
  log.duration_ms = request.response_ms > 0 ? request.response_ms : 0;
  log.before = stored->schedule;
  log.after = ToSchedule(result.after);
  auto id = store.RecordReview(log);
  if (!id) return tl::unexpected(id.error());
  result.log_id = *id;
  return result;
}

}  // namespace mindcards
