# Every module of the repository: each folder with a go.mod.
MODULES := $(sort $(patsubst ./%/go.mod,%,$(shell find . -name go.mod -not -path './.git/*')))

GO ?= go

# The GOWORK a module is built and tested with: off (its own go.mod) for
# every module but the commands under cmd/, which have no replace
# directives (go install refuses them) and so are built in the workspace.
gowork = $$(case $$m in cmd/*) echo "$(CURDIR)/go.work";; *) echo off;; esac)

.PHONY: all test fmt-check workspace api-check api vet unit unit-latest run tidy bench version.json fuzz vulncheck static release

all: test

## test: formatting, vet and every test of every module with -race. Each
## module is tested on its own (GOWORK=off), on its own go.mod: its
## requirements at their minimum versions, and its replace directives,
## which point a sibling's requirement (github.com/dockerflow-go/...
## v0.1.0) at the sibling's folder here. A user of the module never gets
## those replace lines (Go ignores a dependency's replace directives): a
## user gets the sibling at the version required, from the module proxy,
## as tools/cmd/release's consumer test checks. Packages run one at a time
## (-p 1), so that the load and fault tests do not starve each other on 2
## cores.
test: fmt-check workspace api-check vet unit unit-latest

## workspace: go.work ties every module; its go line must cover theirs, or
## every go command in the workspace (go run ./examples/chi) fails.
workspace:
	@$(GO) list -m all >/dev/null

## api-check: api/*.txt lists every module's exported API; a change to it
## fails here until the listing is regenerated (make api) and reviewed.
## An incompatible change since the last release (api/release.txt), as
## golang.org/x/exp/apidiff classifies it, fails here too until
## CHANGELOG.md's Unreleased entry says what broke ("Breaking: ...").
api-check:
	@cd tools && GOWORK=off $(GO) run ./cmd/apilist -root .. -check

api:
	cd tools && GOWORK=off $(GO) run ./cmd/apilist -root ..

fmt-check:
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	@set -e; for m in $(MODULES); do echo "vet $$m"; (cd $$m && GOWORK=$(gowork) $(GO) vet ./...); done

unit:
	@set -e; for m in $(MODULES); do echo "test $$m"; (cd $$m && GOWORK=$(gowork) $(GO) test -race -count=1 -p 1 ./...); done

## unit-latest: the adapters' tests again in the workspace, which selects
## the newest framework versions any module requires (gin v1.12, echo
## v4.16...): the adapters must hold on what a new service gets, not only
## on their minimum versions (gin v1.11 changed its recovery under us).
unit-latest:
	@set -e; for m in $(filter adapters/%,$(MODULES)); do echo "test $$m (newest frameworks)"; (cd $$m && $(GO) test -race -count=1 -p 1 ./...); done

## release: make release VERSION=vX.Y.Z, in a clean clone: sets every
## sibling requirement to VERSION, dates CHANGELOG.md's entry, records the
## release in api/release.txt, commits, and tags each library module
## (core/vX.Y.Z, adapters/chi/vX.Y.Z, ...). It refuses a dirty tree, a
## version that is not semver or not above the last release, and an
## incompatible API change that VERSION does not allow. It pushes nothing.
release:
	@test -n "$(VERSION)" || (echo "usage: make release VERSION=vX.Y.Z"; exit 2)
	cd tools && GOWORK=off $(GO) run ./cmd/release -root .. -version $(VERSION)

## run: the example service on :$$PORT (8000), on embedded defaults.
run:
	$(GO) run ./examples/chi

## static: rebuild the examples' hashed, precompressed static files from
## examples/platform/web/assets (checked in; make test fails while stale).
static:
	cd examples/platform/web && GOWORK=off $(GO) generate .

## version.json: the version object of this checkout, for APP_DIR=.
version.json:
	$(GO) run ./examples/cmd/versionjson -o version.json

## tidy: go mod tidy in every module but the commands (their one
## requirement, core, resolves in the workspace only).
tidy:
	@set -e; for m in $(filter-out cmd/%,$(MODULES)); do (cd $$m && GOWORK=off $(GO) mod tidy); done

## bench: the benchmark set, medians beside same-run baselines, into
## BENCHMARKS.md (needs wrk, hey and a Redis; a few minutes).
bench:
	@command -v wrk >/dev/null && command -v hey >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk hey)
	cd bench && GOWORK=off $(GO) run ./cmd/benchreport -o ../BENCHMARKS.md

## fuzz: every fuzz target for FUZZTIME each; make test runs their seed
## corpora (f.Add and testdata/fuzz).
FUZZTIME ?= 30s
FUZZ_TARGETS := core:FuzzRequestID core:FuzzVersion core:FuzzEnvConfig core/internal/redact:FuzzRedactDifferential core/internal/redact:FuzzRedactNested core:FuzzSummaryLine core/internal/redact:FuzzPlainText core/internal/encode:FuzzAppendLine logformat:FuzzFormatter logformat/zerolog:FuzzWriter static:FuzzServePath
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do dir=$${t%%:*}; name=$${t##*:}; mod=$$dir; \
		while [ ! -f $$mod/go.mod ]; do mod=$${mod%/*}; done; \
		echo "fuzz $$name ($(FUZZTIME))"; \
		(cd $$mod && GOWORK=off $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./$${dir#$$mod}); done

## vulncheck: govulncheck on every module; it needs its database, vuln.go.dev.
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0
vulncheck:
	@set -e; for m in $(MODULES); do echo "govulncheck $$m"; (cd $$m && GOWORK=$(gowork) $(GO) run $(GOVULNCHECK) ./...); done
