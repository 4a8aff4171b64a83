mindcards_tests(render mindcards_render mindcards_formats pugixml::pugixml)
