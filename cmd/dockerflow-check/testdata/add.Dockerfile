# A scratch image: the version object added beside the binary, the user
# and group made in the build stage in exec form, options with =.
FROM debian:bookworm-slim AS build
RUN ["groupadd", "--gid=10001", "app"]
RUN ["useradd", "--gid=app", "--uid=10001", "--no-create-home", "app"]

FROM scratch
COPY --from=build /etc/passwd /etc/group /etc/
COPY service /app/service
ADD version.json /app
WORKDIR /app
USER 10001:10001
ENTRYPOINT ["/app/service"]
CMD ["serve"]
