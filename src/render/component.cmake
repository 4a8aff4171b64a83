# Render: SVG writer and Cairo (PNG, PDF) back ends over one drawing
# interface.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-ft cairo-pdf cairo-png)
pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2)
mindcards_component(render mindcards_layout PkgConfig::CAIRO PkgConfig::FREETYPE)
