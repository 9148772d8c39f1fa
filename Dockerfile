# NetDesk: the whole service in one image. fping and the net-snmp tools come from Debian.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends fping snmp iputils-ping \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/dashboard/dist ./apps/dashboard/dist
COPY package.json ./
COPY config ./config
ENV NODE_ENV=production NETDESK_DATA_DIR=/data
VOLUME /data
EXPOSE 3000 162/udp
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/server/src/main.js"]
