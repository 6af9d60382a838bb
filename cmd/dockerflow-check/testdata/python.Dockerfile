# A Python service as Mozilla's teams write it: the sources (and the
# version.json CI writes beside them) copied into /app whole; the group
# made with its options after the name.
FROM python:3.12-slim
RUN groupadd -r app -g 10001 && \
    useradd -r -u 10001 -g app -d /app -s /usr/sbin/nologin app
WORKDIR /app
COPY . /app
USER app
ENTRYPOINT ["/app/bin/run.sh"]
CMD ["web"]
