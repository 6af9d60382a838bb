FROM golang:1.26 AS build
WORKDIR /app
COPY version.json /app/version.json
RUN go build -o /out/service .

# The image that runs: as root, from /srv, with no version.json and no CMD.
FROM debian:bookworm-slim
WORKDIR /srv
COPY --from=build /out/service /srv/service
ENTRYPOINT ["/srv/service"]
