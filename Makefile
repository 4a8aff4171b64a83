# mindcards: the two set-up commands are `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
SEED := examples/peaceful-coexistence.txt

.PHONY: all deps build demo test bench fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo "== mindcards info $(SEED)"
	@$(BUILD)/mindcards info $(SEED)
	@echo
	@echo "== mindcards convert $(SEED) -t outline"
	@$(BUILD)/mindcards convert $(SEED) -t outline
	@echo
	@echo "== mindcards serve $(SEED)   (open the URL below; Ctrl+C stops)"
	@exec $(BUILD)/mindcards serve --db $(BUILD)/demo.db $(SEED)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@scripts/run-benchmarks $(BUILD)

fuzz: deps
	@scripts/run-fuzzers

clean:
	rm -rf $(BUILD) build-fuzz
