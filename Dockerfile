# syntax=docker/dockerfile:1
# The office server (pecdesk server) for a NAS (Synology, QNAP) or any Docker host: README, "The
# office server in a container". The archive lives in the volume /data; the mailbox passwords'
# key comes from PECDESK_SECRET_KEY or, better, a Docker secret (PECDESK_SECRET_KEY_FILE).
# tests/integration/docker-steps.test.ts runs this file's RUN, COPY, ENV and ENTRYPOINT/CMD lines on
# a checkout, so keep every step a plain command on one line.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is compiled when its prebuilt binary cannot be fetched: compilers, only here.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Electron is a build dependency of the desktop app only: its binary is never downloaded here.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The CLI bundle (dist/cli/main.mjs, the server is its command) with the migrations and the PEC
# trust list beside it, and the web app the server serves (dist/renderer).
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The archive folder of every pecdesk command run in the container (backup, user add, ...).
ENV PECDESK_ARCHIVE=/data
# No OS keychain in a container: the encrypted file beside the archive, on purpose.
ENV PECDESK_SECRETS=file
WORKDIR /app
# Not root: the image's own user "node" (uid 1000, gid 1000), owner of the archive folder.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The pecdesk command: without the sources beside it, it runs the bundle dist/cli/main.mjs.
COPY --from=build /app/bin ./bin
USER node
VOLUME /data
EXPOSE 4443
# The server's own certificate is self-signed unless one is given: this probe checks that it
# answers, not who it is (it runs inside the container, against itself).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "-e", "require('https').get('https://127.0.0.1:4443/health',{rejectUnauthorized:false,timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# Any pecdesk command runs in the image (docker compose run --rm pecdesk user add ...); the server
# is the default one, on every address of the container (personal logins must be on first: README).
# Plain log lines (NAS log viewers show them as they are); add --log-json for a log collector.
ENTRYPOINT ["node", "/app/bin/pecdesk.mjs"]
CMD ["server", "--archive", "/data", "--listen", "0.0.0.0:4443"]
