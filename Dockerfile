# Waypoint container image: the suite built on Debian 12, for containerlab
# (kind: linux) and plain docker.  See doc/labs.md, "Under containerlab".
#
#   docker build -t waypoint/waypoint:latest .
#
# Stage 1 installs the build dependencies (tools/bootstrap --deps-only),
# builds, and installs into /staging; stage 2 is Debian 12 with only the
# shared libraries the installed programs link, plus the entrypoint.

FROM debian:12 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY . .
# bootstrap installs its packages with --no-install-recommends
# hadolint ignore=DL3008
RUN tools/bootstrap --deps-only \
    && rm -rf /var/lib/apt/lists/*
RUN autoreconf -fi
WORKDIR /src/build
# Everything under /usr/local (the systemd units too: /lib is a symlink in
# the runtime image, which a COPY must not meet), configs in /etc/waypoint.
RUN ../configure --prefix=/usr/local --sysconfdir=/etc --localstatedir=/var \
        SYSTEMD_UNITDIR=/usr/local/lib/systemd/system \
    && make -j"$(nproc)" \
    && make install DESTDIR=/staging \
    && install -D -m 0755 tools/wpvty/wpvty /staging/usr/local/bin/wpvty \
    && install -D -m 0755 ../tools/container-entrypoint \
        /staging/usr/local/lib/waypoint/container-entrypoint \
    && install -D -m 0644 ../tools/lablib/daemons.py \
        /staging/usr/local/lib/waypoint/lablib/daemons.py
# The Debian packages that hold the shared libraries of every installed
# program: the runtime stage installs exactly these.  (ldd fails on the
# scripts, which is fine; dpkg may know a library by its /usr path.)
RUN find /staging -type f -perm -u+x -print0 \
    | xargs -0 -r -n1 sh -c 'ldd "$0" 2>/dev/null || true' \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3}' \
    | sort -u \
    | while read -r lib; do \
        dpkg -S "$lib" 2>/dev/null \
          || dpkg -S "$(readlink -f "$lib")" 2>/dev/null \
          || dpkg -S "/usr$lib" \
          || echo "no package holds $lib" >&2; \
      done \
    | cut -d: -f1 | sort -u >/staging/usr/local/lib/waypoint/runtime-packages \
    && cat /staging/usr/local/lib/waypoint/runtime-packages

FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG DEBIAN_FRONTEND=noninteractive
COPY --from=build /staging/ /
# Libraries found above; iproute2, ping, ps and Python (the entrypoint)
# for running and inspecting a node.
# hadolint ignore=DL3008
RUN apt-get update -q \
    && xargs -a /usr/local/lib/waypoint/runtime-packages \
        apt-get install -y -q --no-install-recommends \
        iproute2 iputils-ping procps python3 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /etc/waypoint /var/log/waypoint
ENTRYPOINT ["/usr/local/lib/waypoint/container-entrypoint"]
