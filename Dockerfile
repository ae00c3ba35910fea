# One image for every part; the command picks the part (`npm run serve -- <part>`).
#
# The containers run JavaScript compiled by `npm run build` (dist/), not the TypeScript
# sources: type stripping keeps its compiler (amaro) in every process, about 25 MiB of
# RSS the gateway's 150 MiB budget cannot spare (bench/README.md). `npm run serve` also
# sets the V8 flags the gateway is measured with.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The embedded defaults write the SQLite file and the outbox under var/.
RUN mkdir -p var && chown node:node var
USER node
ENTRYPOINT ["npm", "run", "--silent", "serve", "--"]
CMD ["gateway"]
