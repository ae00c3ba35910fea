# One image for every part; the command picks the part (`npm run serve -- <part>`).
# Node 24 runs the TypeScript sources directly, so there is no build stage.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The embedded defaults write the SQLite file and the outbox under var/.
RUN mkdir -p var && chown node:node var
USER node
ENTRYPOINT ["npm", "run", "--silent", "serve", "--"]
CMD ["gateway"]
