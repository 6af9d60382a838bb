FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/service . \
 && echo '{"source":"https://github.com/acme/notes","version":"","commit":"","build":""}' > /out/version.json

FROM debian:bookworm-slim
RUN groupadd --gid 10001 app && \
    useradd --uid 10001 --gid 10001 --home /app --create-home app
WORKDIR /app
COPY --from=build /out/service /app/service
COPY --from=build /out/version.json .
USER app
ENTRYPOINT ["/app/service"]
CMD ["serve"]
