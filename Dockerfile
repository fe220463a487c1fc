# One image for every Gerbang process; docker-compose.yml picks the entry point per service.
FROM node:20.20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm cache clean --force
USER node
ENV HOST=0.0.0.0
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
