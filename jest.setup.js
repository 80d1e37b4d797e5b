// Quiet structured logs in tests unless asked for (LOG_LEVEL=debug pnpm test).
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
