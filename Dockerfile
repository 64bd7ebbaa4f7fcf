# baid image: a Go builder stage compiles baid with the Makefile, a slim runtime stage runs it
# as a non-root user.
FROM golang:1.26-bookworm AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN make build

FROM debian:bookworm-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends ca-certificates curl \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --create-home --uid 1000 baid
COPY --from=builder /src/build/baid /usr/local/bin/baid
USER baid
WORKDIR /home/baid
# P2P, RPC, REST, gRPC
EXPOSE 26656 26657 1317 9090
ENTRYPOINT ["baid"]
CMD ["start", "--home", "/home/baid/.baid"]
