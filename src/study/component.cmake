# study: facts, cards, grading, FSRS scheduling and optimisation, timeline.
mindcards_component(study mindcards_core nlohmann_json::nlohmann_json)
