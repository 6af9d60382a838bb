# Every module of the repository: each folder with a go.mod.
MODULES := $(sort $(patsubst ./%/go.mod,%,$(shell find . -name go.mod -not -path './.git/*')))

GO ?= go

.PHONY: all test fmt-check vet unit run tidy bench version.json

all: test

## test: formatting, vet and every test of every module with -race. Each
## module is tested on its own (GOWORK=off), so its replace directives are
## what a user of that module gets.
test: fmt-check vet unit

fmt-check:
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	@set -e; for m in $(MODULES); do echo "vet $$m"; (cd $$m && GOWORK=off $(GO) vet ./...); done

unit:
	@set -e; for m in $(MODULES); do echo "test $$m"; (cd $$m && GOWORK=off $(GO) test -race -count=1 ./...); done

## run: the example service on :$$PORT (8000), on embedded defaults.
run:
	$(GO) run ./examples/chi

## version.json: the version object of this checkout, for APP_DIR=.
version.json:
	$(GO) run ./examples/cmd/versionjson -o version.json

## tidy: go mod tidy in every module.
tidy:
	@set -e; for m in $(MODULES); do (cd $$m && GOWORK=off $(GO) mod tidy); done

## bench: the benchmarks of every module, once each.
bench:
	@set -e; for m in $(MODULES); do (cd $$m && GOWORK=off $(GO) test -run '^$$' -bench . -benchmem ./...); done
