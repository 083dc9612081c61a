# woonexo — make help lists the targets.
GO      ?= go
PKGS    ?= ./...
FUZZTIME ?= 30s
CHAOS_ITERATIONS ?= 30

.PHONY: help build test vet fmt-check lint promtool demo bench bench-e2e bench-large fuzz fuzz-short cover chaos clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/reconcile
	$(GO) build -o bin/reconcile ./cmd/reconcile

test: vet fmt-check lint promtool ## vet, gofmt, import rules, alert rules, then every test with -race
	$(GO) test -race -count=1 $(PKGS)

vet: ## go vet
	$(GO) vet $(PKGS)

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

lint: ## check who imports whom (the table in the package docs)
	@sh .ci/imports.sh

promtool: ## check and unit-test deploy/prometheus/alerts.yml (skipped without promtool)
	@sh .ci/promtool.sh

demo: ## woonexo at work against the built-in simulators (three cycles)
	$(GO) run ./cmd/reconcile demo

bench: ## benchmarks of every package, then the end-to-end cases at 10,000 products
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkE2E$$' -benchmem -timeout 30m $(PKGS)
	@$(MAKE) --no-print-directory bench-e2e

# One line per case ("case N: requests ..., wall ..., reconcile peak RSS ..., bound ...");
# the full benchmark output, with the per-route counts, is in bin/bench-e2e.txt.
# WOONEXO_BENCH_LATENCY (default 20ms) and WOONEXO_BENCH_PRODUCTS change the shop;
# WOONEXO_BENCH_INPROCESS=1 runs simulators and cycles in one process (for -cpuprofile).
bench-e2e: ## the end-to-end benchmark only (both simulators, 20 ms latency)
	@mkdir -p bin; WOONEXO_BENCH_ROUTES=1 $(GO) test -run '^$$' -bench '^BenchmarkE2E$$' -benchtime 1x -timeout 30m ./cmd/reconcile > bin/bench-e2e.txt 2>&1; \
	rc=$$?; grep -E 'shop:|case [0-9]:' bin/bench-e2e.txt | sed 's/^ *bench_e2e_test.go:[0-9]*: //'; \
	if [ $$rc -ne 0 ]; then tail -30 bin/bench-e2e.txt; exit $$rc; fi

bench-large: ## the end-to-end cases 2-5 at 100,000 products (minutes)
	@mkdir -p bin; WOONEXO_BENCH_LARGE=1 WOONEXO_BENCH_ROUTES=1 $(GO) test -run '^$$' -bench '^BenchmarkE2E$$' -benchtime 1x -timeout 120m ./cmd/reconcile > bin/bench-large.txt 2>&1; \
	rc=$$?; grep -E 'shop:|case [0-9]:' bin/bench-large.txt | sed 's/^ *bench_e2e_test.go:[0-9]*: //'; \
	if [ $$rc -ne 0 ]; then tail -30 bin/bench-large.txt; exit $$rc; fi

fuzz: ## every fuzz target for FUZZTIME each (default 30s)
	@sh .ci/fuzz.sh $(FUZZTIME)

fuzz-short: ## every fuzz target briefly, as CI does
	@sh .ci/fuzz.sh 3s

# Kills `reconcile --now` (the real binary) with SIGKILL at random moments
# of syncs that create and update every kind, resumes, and checks the
# invariants after each iteration; CHAOS_SEED picks the random moments.
chaos: ## crash loop: CHAOS_ITERATIONS (default 30) SIGKILLed syncs, invariants checked after each
	@mkdir -p bin; CHAOS_ITERATIONS=$(CHAOS_ITERATIONS) $(GO) test -count=1 -timeout 60m -run '^TestChaosCrashLoop$$' -v ./cmd/reconcile > bin/chaos.txt 2>&1; \
	rc=$$?; grep -E 'chaos:|--- FAIL|iteration [0-9]+, after' bin/chaos.txt | sed 's/^ *faults_test.go:[0-9]*: //'; \
	if [ $$rc -ne 0 ]; then tail -30 bin/chaos.txt; fi; exit $$rc

cover: ## coverage report in cover.html
	$(GO) test -count=1 -coverprofile=cover.out $(PKGS)
	$(GO) tool cover -html=cover.out -o cover.html
	$(GO) tool cover -func=cover.out | tail -1

clean: ## remove build output
	rm -rf bin cover.out cover.html
