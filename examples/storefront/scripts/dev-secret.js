// The secret `npm start` and the tests sign assignment cookies and preview tokens with. A real
// deployment sets its own SPLICE_SECRET (for Cloudflare: `wrangler secret put SPLICE_SECRET`).
module.exports = { DEV_SECRET: process.env.SPLICE_SECRET ?? 'storefront development secret, not for production' };
