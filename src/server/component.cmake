# server: `mindcards serve`, the JSON API and the web page (web/, embedded
# into the binary at build time).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

file(GLOB MINDCARDS_WEB_FILES CONFIGURE_DEPENDS
  RELATIVE ${CMAKE_SOURCE_DIR}/web
  ${CMAKE_SOURCE_DIR}/web/*.html ${CMAKE_SOURCE_DIR}/web/*.js
  ${CMAKE_SOURCE_DIR}/web/*.css ${CMAKE_SOURCE_DIR}/web/*.svg)
list(SORT MINDCARDS_WEB_FILES)
set(web_deps "")
foreach(f IN LISTS MINDCARDS_WEB_FILES)
  list(APPEND web_deps ${CMAKE_SOURCE_DIR}/web/${f})
endforeach()
list(JOIN MINDCARDS_WEB_FILES "," web_list)
set(assets_cc ${CMAKE_BINARY_DIR}/generated/web_assets.cc)
add_custom_command(OUTPUT ${assets_cc}
  COMMAND ${CMAKE_COMMAND} -DOUT=${assets_cc} -DDIR=${CMAKE_SOURCE_DIR}/web
    -DFILES=${web_list}
    -P ${CMAKE_SOURCE_DIR}/src/server/embed_assets.cmake
  DEPENDS ${web_deps} ${CMAKE_SOURCE_DIR}/src/server/embed_assets.cmake
  COMMENT "Embedding web/ into the server" VERBATIM)

# The server stands on every other component; while one is missing (during
# parallel development) it builds as a stub that says so.
set(server_deps mindcards_formats PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
set(server_defs "")
foreach(dep layout render study store)
  if(TARGET mindcards_${dep})
    list(APPEND server_deps mindcards_${dep})
  else()
    set(server_defs MINDCARDS_SERVER_UNAVAILABLE=1)
  endif()
endforeach()
mindcards_component(server ${server_deps})
target_sources(mindcards_server PRIVATE ${assets_cc})
target_compile_definitions(mindcards_server PRIVATE ${server_defs})
