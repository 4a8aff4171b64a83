# Layout: text measurement (HarfBuzz on font files from Debian packages, ICU
# line breaking) and the tidy/map/right/down/radial layouts.
pkg_check_modules(HARFBUZZ REQUIRED IMPORTED_TARGET harfbuzz)
pkg_check_modules(ICU_UC REQUIRED IMPORTED_TARGET icu-uc)
mindcards_component(layout mindcards_core PkgConfig::HARFBUZZ PkgConfig::ICU_UC)
