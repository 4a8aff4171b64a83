# store: maps, cards, the review log and settings in SQLite; the Anki .apkg
# writer. The only code that includes sqlite3.h.
find_package(SQLite3 REQUIRED)
mindcards_component(store mindcards_study mindcards_formats SQLite::SQLite3
  PkgConfig::LIBZIP nlohmann_json::nlohmann_json)
