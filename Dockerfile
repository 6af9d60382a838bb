# syntax=docker/dockerfile:1
#
# One of the example services as a Dockerflow container:
#
#   docker build --build-arg EXAMPLE=chi -t example-chi .
#   docker run -p 8000:8000 example-chi
#
# CI passes its facts for version.json as build arguments, for example on
# GitHub Actions: --build-arg GITHUB_SHA --build-arg GITHUB_REPOSITORY
# --build-arg GITHUB_RUN_ID --build-arg GITHUB_REF_TYPE --build-arg GITHUB_REF_NAME;
# without them, versionjson asks git.

ARG GO_VERSION=1.26

# Build stage: the source under /app, a static binary, version.json.
FROM golang:${GO_VERSION}-bookworm AS build
ARG EXAMPLE=chi
ARG GITHUB_SHA GITHUB_REPOSITORY GITHUB_SERVER_URL GITHUB_RUN_ID GITHUB_REF_TYPE GITHUB_REF_NAME
ARG CIRCLE_SHA1 CIRCLE_TAG CIRCLE_REPOSITORY_URL CIRCLE_BUILD_URL
WORKDIR /app
COPY . .
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
RUN git config --global --add safe.directory /app \
 && go build -ldflags="-s -w" -o /out/service ./examples/${EXAMPLE} \
 && go run ./examples/cmd/versionjson -o /out/version.json \
 && echo 'app:x:10001:10001:app:/app:/sbin/nologin' > /out/passwd \
 && echo 'app:x:10001:' > /out/group

# Run stage: nothing but the binary, version.json and CA certificates.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
WORKDIR /app
COPY --from=build /out/service /app/service
COPY --from=build /out/version.json /app/version.json
ENV PORT=8000 APP_DIR=/app
USER app
EXPOSE 8000
# No shell or curl in a scratch image: the binary checks itself.
HEALTHCHECK --interval=10s --timeout=3s CMD ["/app/service", "healthcheck"]
ENTRYPOINT ["/app/service"]
CMD ["serve"]
