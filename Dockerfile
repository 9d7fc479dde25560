# vidb: static binary built from source, shipped FROM scratch.
#
#   docker build -t vidb .
#   docker run --rm -e DATABASE_URL=postgresql://user@db:5432/app vidb migrate
#
# The builder runs exactly what `make static` and CI run: scripts/build-static.sh
# (installs packages, builds libpq from Debian's PostgreSQL source, builds vidb,
# checks dist/vidb is static, stripped and <= 8 MiB).
#
# The pack path: with PACK_DIR (a migrations folder in the build context) the image ships
# the release binary with that folder packed into it (vidb pack), not sql/ compiled in:
#
#   docker build --build-arg PACK_DIR=db/migrations -t app-migrate .
FROM debian:12 AS builder
ENV DEBIAN_FRONTEND=noninteractive
ARG PACK_DIR=
WORKDIR /src
COPY . .
RUN bash scripts/build-static.sh
RUN mkdir -p /rootfs \
 && if [ -n "$PACK_DIR" ]; then dist/release/vidb pack "$PACK_DIR" -o /rootfs/vidb; else cp dist/vidb /rootfs/vidb; fi
# Minimal passwd/group so libpq can look up the current user's name when the
# connection string names no user (without them: "could not look up local user ID").
RUN mkdir -p /rootfs/etc \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > /rootfs/etc/passwd \
 && printf 'root:x:0:\nnogroup:x:65534:\n' > /rootfs/etc/group

FROM scratch
COPY --from=builder /rootfs/etc/passwd /rootfs/etc/group /etc/
# CA bundle for sslmode=verify-full with sslrootcert=/etc/ssl/certs/ca-certificates.crt
# (libpq 15 does not use it unless told to; do not set PGSSLROOTCERT globally:
# an existing root file turns sslmode=require into verify-ca).
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=builder /rootfs/vidb /vidb
ENTRYPOINT ["/vidb"]
