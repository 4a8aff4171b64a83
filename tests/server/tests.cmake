# server: the API against a real `mindcards serve` on a loopback port, the
# XSS corpus, SIGKILL durability; browser tests (Playwright) in
# tests/browser/.
if(TARGET mindcards_server)
  mindcards_tests(server mindcards_server mindcards_formats)
  target_sources(server_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/server/server_process.cc)
  add_test(NAME server_browser
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/browser/run.sh
      $<TARGET_FILE:mindcards> ${CMAKE_BINARY_DIR})
  set_tests_properties(server_browser PROPERTIES TIMEOUT 900
    SKIP_RETURN_CODE 77)
endif()
