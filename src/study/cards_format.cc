// Card serialisations: JSON, CSV and Anki's text import format.
#include <fmt/format.h>

#include <string>

#include "mindcards/cards.h"

namespace mindcards {
namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          *out += fmt::format("\\u{:04x}", c);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void AppendJsonArray(const std::vector<std::string>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) *out += ", ";
    AppendJsonString(items[i], out);
  }
  out->push_back(']');
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\t':
        out += ' ';
        break;
      case '\n':
        out += "<br>";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string CardsToJson(const std::vector<Card>& cards) {
  std::string out = "{\"cards\": [";
  for (size_t i = 0; i < cards.size(); ++i) {
    const Card& c = cards[i];
    out += i ? ",\n  {" : "\n  {";
    out += "\"id\": ";
    AppendJsonString(c.id, &out);
    out += ", \"kind\": ";
    AppendJsonString(CardKindName(c.kind), &out);
    out += ", \"front\": ";
    AppendJsonString(c.front, &out);
    out += ", \"back\": ";
    AppendJsonString(c.back, &out);
    out += ", \"context\": ";
    AppendJsonArray(c.context.headings(), &out);
    out += fmt::format(", \"node\": {}", c.node);
    out += ", \"choices\": ";
    AppendJsonArray(c.choices, &out);
    out += ", \"answers\": ";
    AppendJsonArray(c.answers, &out);
    out += fmt::format(", \"list\": {}, \"ordered\": {}, \"type\": ", c.is_list,
                       c.ordered);
    AppendJsonString(FactTypeName(c.fact_type), &out);
    out += fmt::format(", \"era\": {}, \"hint\": ", c.era);
    AppendJsonString(c.hint, &out);
    out += ", \"cloze\": ";
    AppendJsonString(c.cloze, &out);
    out += "}";
  }
  out += cards.empty() ? "]}\n" : "\n]}\n";
  return out;
}

std::string CardsToCsv(const std::vector<Card>& cards) {
  std::string out = "id,kind,context,front,back\r\n";
  for (const Card& c : cards) {
    std::string context = fmt::format("{}", fmt::join(c.context, " › "));
    std::string front = c.front;
    if (!c.choices.empty() && c.kind == CardKind::kChoice) {
      front += fmt::format(" ({})", fmt::join(c.choices, " / "));
    }
    out += fmt::format("{},{},{},{},{}\r\n", c.id, CardKindName(c.kind),
                       CsvField(context), CsvField(front), CsvField(c.back));
  }
  return out;
}

std::string CardsToAnkiText(const std::vector<Card>& cards) {
  std::string out =
      "#separator:tab\n#html:true\n#guid column:1\n#tags column:4\n"
      "#columns:guid\tFront\tBack\ttags\n";
  for (const Card& c : cards) {
    std::string front;
    if (!c.context.empty()) {
      front += "<div class=\"context\"><small>" +
               HtmlEscape(fmt::format("{}", fmt::join(c.context, " › "))) +
               "</small></div>";
    }
    front += HtmlEscape(c.front);
    if (c.kind == CardKind::kChoice || c.kind == CardKind::kChronology) {
      front += "<ul>";
      for (const std::string& choice : c.choices) {
        front += "<li>" + HtmlEscape(choice) + "</li>";
      }
      front += "</ul>";
    }
    std::string back;
    if (c.answers.size() > 1) {
      back += c.ordered ? "<ol>" : "<ul>";
      for (const std::string& a : c.answers)
        back += "<li>" + HtmlEscape(a) + "</li>";
      back += c.ordered ? "</ol>" : "</ul>";
    } else {
      back = HtmlEscape(c.back);
    }
    out += fmt::format("mindcards-{}\t{}\t{}\tmindcards::{}\n", c.id, front,
                       back, CardKindName(c.kind));
  }
  return out;
}

}  // namespace mindcards
