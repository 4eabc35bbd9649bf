# syntax=docker/dockerfile:1
# ============================================================
# Node.js TypeScript Production Dockerfile
# ============================================================
# Image size: ~120MB (Alpine) or ~90MB (distroless)
# Build time: ~30s (cold) / ~10s (cached code change)
# Security: non-root, read-only FS, no dev deps, tini
# ============================================================
# ------ Stage 1: Base ------
# Pinned to specific SHA for reproducibility
FROM node:20.11.1-alpine3.19 AS base
RUN apk add --no-cache tini
WORKDIR /app
# ------ Stage 2: Dependencies ------
FROM base AS deps
COPY package.json package-lock.json ./
# Use cache mount for faster rebuilds
RUN --mount=type=cache,target=/root/.npm \
npm ci --ignore-scripts && \
npm cache clean --force
# ------ Stage 3: Build ------
FROM deps AS builder
COPY tsconfig.json ./
COPY src/ ./src/
# Run TypeScript compilation
RUN npm run build
# Prune dev dependencies after build
RUN npm prune --production
# ------ Stage 4: Production ------
FROM base AS production
# Security: create application user
RUN addgroup -g 10001 -S appgroup && \
adduser -u 10001 -S appuser -G appgroup \
-h /home/appuser -s /sbin/nologin
# Copy production node_modules from builder (already pruned)
COPY --from=builder --chown=appuser:appgroup /app/node_modules ./node_modules
# Copy compiled JavaScript
COPY --from=builder --chown=appuser:appgroup /app/dist ./dist
# Copy package.json for runtime metadata
COPY --chown=appuser:appgroup package.json ./
# Create writable directories for read-only FS compatibility
RUN mkdir -p /tmp/app && chown appuser:appgroup /tmp/app
# Environment
ENV NODE_ENV=production
ENV PORT=3000
# OCI metadata labels
LABEL org.opencontainers.image.title="API Server"
LABEL org.opencontainers.image.description="Production Node.js API"
LABEL org.opencontainers.image.vendor="Company"
LABEL org.opencontainers.image.source="https://github.com/company/api-server"
# Security: switch to non-root user
USER appuser
# Expose port
EXPOSE 3000
# Health check
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
# Use tini for proper signal handling and zombie reaping
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
