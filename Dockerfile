# One image for every part; the command picks the part: `docker run IMAGE <part>`, with the parts
# of `npm run serve` (scripts/serve.ts): gateway, legacy-standin, tracking, worker, forms, sending,
# sending-worker and the one-shot seed. docker-compose.yml and k8s/parts/ run it.
#
# The containers run JavaScript compiled by `npm run build` (dist/), not the TypeScript
# sources: type stripping keeps its compiler (amaro) in every process, about 25 MiB of
# RSS the gateway's 150 MiB budget cannot spare (bench/README.md).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# As `npm run serve` sets it (package.json); scripts/image.test.ts keeps the two equal.
ENV MALLOC_ARENA_MAX=2
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The embedded defaults write the SQLite file and the outbox under var/ (docker run without
# DATABASE_URL or SMTP_URL). Kubernetes sets both and mounts the root filesystem read-only.
RUN mkdir -p var && chown node:node var
# The image's node user, by number, so that Kubernetes can check runAsNonRoot against it.
USER 1000:1000
# node itself rather than `npm run serve`: no npm process beside the part (its memory would count
# against the pod's limit, and it writes log files under $HOME, read-only in Kubernetes), and
# SIGTERM reaches the part, which drains. The V8 flags are the serve script's.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=25", "dist/scripts/serve.js"]
CMD ["gateway"]
