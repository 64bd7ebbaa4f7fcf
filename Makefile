#!/usr/bin/make -f
# BalanceAI: build, run and test baid.

BINDIR      ?= $(CURDIR)/build
BAID        := $(BINDIR)/baid
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT      ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS     := -X github.com/cosmos/cosmos-sdk/version.Name=BalanceAI \
               -X github.com/cosmos/cosmos-sdk/version.AppName=baid \
               -X github.com/cosmos/cosmos-sdk/version.Version=$(VERSION) \
               -X github.com/cosmos/cosmos-sdk/version.Commit=$(COMMIT)
BUILD_FLAGS := -trimpath -ldflags '$(LDFLAGS)'
# The image the Dockerfile builds and docker-compose runs.
DOCKER_IMAGE ?= balanceai/baid:local

export GOFLAGS := -buildvcs=false

.PHONY: all build install devnet devnet-reset test test-unit test-e2e bench-gateway bench-gateway-load bench-sigcache bench-tps bench-msgs bench-blocks bench-chain lint localnet localnet-status \
        localnet-down localnet-start localnet-stop localnet-clean help \
        proto-tools proto-vendor proto-gen proto-js proto-lint proto-check proto-swagger clean test-js test-sims test-sims-short test-dashboard \
        release release-check

all: build

## build: compile baid into build/baid
build:
	go build $(BUILD_FLAGS) -o $(BAID) ./cmd/baid

## install: install baid into $GOPATH/bin
install:
	go install $(BUILD_FLAGS) ./cmd/baid

## devnet: build baid and run a one-validator chain (balanceai-devnet, 1 s blocks) in .devnet/
devnet: build
	BAID=$(BAID) ./scripts/devnet.sh

## devnet-reset: delete the devnet state and start a fresh chain
devnet-reset: build
	BAID=$(BAID) ./scripts/devnet.sh --reset

## test: every test: unit, keeper, in-process app, end-to-end against a built baid, CosmJS, dashboard, release reproducibility
test: build test-unit test-sims-short test-e2e test-js test-dashboard release-check

test-unit:
	go test -count=1 ./...

test-e2e:
	go test -count=1 -tags e2e -timeout 30m ./tests/e2e/... -args -baid=$(BAID)

# Randomized simulation of the whole chain (app/sim_test.go, build tag sims), with the SDK
# simulator's flags. Every invariant of every module is checked after every block.
SIM_SEED          ?= 7
SIM_NUM_BLOCKS    ?= 500
SIM_BLOCK_SIZE    ?= 200
SIM_GENESIS_TIME  ?= 1700000000
SIM_FLAGS          = -Enabled=true -Commit=true -Seed=$(SIM_SEED) -NumBlocks=$(SIM_NUM_BLOCKS) \
                     -BlockSize=$(SIM_BLOCK_SIZE) -GenesisTime=$(SIM_GENESIS_TIME)

## test-sims: long simulations: full, import/export, simulation after import, and determinism (the same
##   seed three times), 500 blocks of 200 operations from seed 7 (SIM_SEED, SIM_NUM_BLOCKS, SIM_BLOCK_SIZE)
test-sims:
	go test -tags sims -count=1 -timeout 12h -run 'TestFullAppSimulation|TestAppImportExport|TestAppSimulationAfterImport' ./app/ -args $(SIM_FLAGS)
	go test -tags sims -count=1 -timeout 12h -run TestAppStateDeterminism ./app/ -args $(SIM_FLAGS)

## test-sims-short: every simulation test from a fixed seed, 40 blocks of 50 operations (part of make test)
test-sims-short:
	go test -tags sims -count=1 -timeout 30m -run 'TestFullAppSimulation|TestAppImportExport|TestAppSimulationAfterImport|TestAppStateDeterminism' ./app/ \
		-args -Enabled=true -Commit=true -Seed=7 -NumBlocks=40 -BlockSize=50 -GenesisTime=$(SIM_GENESIS_TIME)

## test-js: CosmJS client: bundled descriptors current, golden amino bytes (Node and a browser bundle),
##   TypeScript declarations, npm pack installed in a fresh folder, chain metadata (Keplr validator),
##   a devnet in both sign modes
test-js: build
	cd client/js && npm ci --no-audit --no-fund && npm run build:check && BAID=$(BAID) node --test test/*.test.mjs

## test-dashboard: the BAI dashboard: dist/ rebuilt byte for byte, then every page in headless Chromium (Debian's
##   chromium, installed when missing) against a two-validator chain, a test wallet staking and registering a listing
test-dashboard: build
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium for the dashboard tests"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi
	@# the tests' chain harness is client/js's (test/devnet.mjs), which needs client/js's packages
	@if [ ! -d client/js/node_modules ]; then cd client/js && npm ci --no-audit --no-fund; fi
	cd dashboard && npm ci --no-audit --no-fund && BAID=$(BAID) npm test

## bench-gateway: AI node overhead (p50/p99) against calling the model directly, 1/8/64 callers
bench-gateway:
	go test -run '^$$' -bench Overhead -benchtime 2000x ./gateway/

## bench-sigcache: FinalizeBlock of 200 pre-checked bank sends with the verified-signature cache off and on
##   (chains interleaved; wall and CPU ns/tx and the off/on ratios), and one verification against a cache hit
bench-sigcache:
	go test -count=3 -run '^$$' -bench FinalizeBlockBankSends -benchtime 30x ./app/
	go test -count=3 -run '^$$' -bench SigCacheVerify -benchtime 2000x ./app/

## bench-tps: load a fresh single-validator chain (cmd/baiload): committed TPS of bank sends with the
##   signature cache off and on (2 interleaved rounds, ratios), usage records/s against bank sends
##   (2 interleaved rounds, batches of 100 records) and the TPS of a mix of BalanceAI Msgs
BENCH_TPS_ACCOUNTS ?= 50
BENCH_TPS_TXS      ?= 200
BENCH_TPS_MIX      ?= bank=2,listing=1,usage=2,commit=1,lock=1
bench-tps: build
	go build -o $(BINDIR)/baiload ./cmd/baiload
	$(BINDIR)/baiload --baid $(BAID) --accounts $(BENCH_TPS_ACCOUNTS) --txs $(BENCH_TPS_TXS) --compare-sigcache 2 --label bank
	$(BINDIR)/baiload --baid $(BAID) --accounts $(BENCH_TPS_ACCOUNTS) --txs $(BENCH_TPS_TXS) --compare-usage 2 --usage-txs $$(( $(BENCH_TPS_TXS) / 5 )) --records 100
	$(BINDIR)/baiload --baid $(BAID) --accounts $(BENCH_TPS_ACCOUNTS) --txs $$(( $(BENCH_TPS_TXS) / 2 )) --mix $(BENCH_TPS_MIX) --label mix

## bench-msgs: FinalizeBlock time per tx of every Msg a user sends (tests/bench), next to a bank send
bench-msgs:
	go test -count=1 -run '^$$' -bench 'Msgs' -benchtime 300x -timeout 30m ./tests/bench/

## bench-blocks: Begin+EndBlock time with 10, 10,000 and 100,000 listings and 1,000,000 usage receipts
##   (chains interleaved; ratios to 10 listings); filling the state takes a few minutes
bench-blocks:
	go test -count=1 -run '^$$' -bench 'BeginEndBlock' -benchtime 200x -timeout 60m ./tests/bench/

## bench-chain: bench-msgs and bench-blocks
bench-chain: bench-msgs bench-blocks

## release: static baid for linux/amd64, linux/arm64, darwin/amd64, darwin/arm64 from HEAD,
##   as reproducible tarballs with SHA256SUMS in build/release (scripts/release.sh)
release:
	./scripts/release.sh

## release-check: build linux/amd64 twice from two copies of HEAD and require identical bytes
release-check:
	./scripts/release.sh check linux/amd64

## bench-gateway-load: a real chain and AI node under 3,000 signed calls: calls/s, receipts/s on chain, queue age
bench-gateway-load: build
	go test -count=1 -tags e2e -run '^$$' -bench GatewaySustained -benchtime 3000x -timeout 30m ./tests/e2e/ -args -baid=$(BAID)

## lint: go vet and gofmt
lint:
	go vet ./...
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

## proto-tools: build the pinned buf and protoc plugins into build/bin
proto-tools:
	@./scripts/prototools.sh

## proto-vendor: copy third-party protos from the Go module cache into third_party/proto
proto-vendor:
	@./scripts/protovendor.sh

## proto-gen: regenerate every *.pb.go and *.pb.gw.go from proto/, and client/js's bundled
##   descriptors and TypeScript declarations when its npm packages are installed (make proto-js)
proto-gen: proto-tools
	@./scripts/protocgen.sh
	@if [ -d client/js/node_modules ]; then cd client/js && npm run --silent build; \
	else echo "client/js/node_modules missing: run 'make proto-js' to regenerate client/js/src/generated"; fi

## proto-js: install client/js's npm packages and regenerate its descriptors and declarations from proto/,
##   then rebuild the dashboard's committed dist/ (it bundles client/js)
proto-js:
	cd client/js && npm ci --no-audit --no-fund && npm run build
	cd dashboard && npm ci --no-audit --no-fund && npm run build

## proto-lint: lint proto/
proto-lint: proto-tools
	@$(BINDIR)/bin/buf lint

## proto-check: fail when the committed generated code differs from what proto-gen writes
proto-check: proto-tools
	@./scripts/proto-check.sh

## proto-swagger: write the merged OpenAPI document of every query service
proto-swagger: proto-tools
	@./scripts/protoc-swagger-gen.sh

clean:
	rm -rf $(BINDIR)

help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## localnet: four validators as local processes on 127.0.0.1 (scripts/localnet.sh start)
localnet: build
	BAID=$(BAID) ./scripts/localnet.sh start

## localnet-status / localnet-down: heights of the local-process localnet / stop it
localnet-status:
	@./scripts/localnet.sh status

localnet-down:
	@./scripts/localnet.sh stop

## localnet-start: four validators in Docker (docker-compose), homes in build/localnet
localnet-start: build
	@if [ ! -f build/localnet/node0/config/genesis.json ]; then \
		$(BAID) testnet init-files --v 4 --output-dir build/localnet --chain-id balanceai-localnet \
			--single-host=false --hostname-prefix node --commit-timeout 1s --keyring-backend test; \
	fi
	LOCALNET_UID=$$(id -u) LOCALNET_GID=$$(id -g) docker compose up --build -d

## localnet-stop: stop the Docker localnet
localnet-stop:
	docker compose down

## localnet-clean: stop the Docker localnet and delete its homes
localnet-clean: localnet-stop
	rm -rf build/localnet
