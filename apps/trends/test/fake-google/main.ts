// Runs the fake Google Trends for offline development:
//   PORT=4010 npm run fake-google -w @trendcast/trends
//   GOOGLE_TRENDS_ORIGIN=http://127.0.0.1:4010 npm start -w @trendcast/trends
import { FakeGoogleTrends } from './fake-google-trends.js';

const fake = await new FakeGoogleTrends({ port: Number(process.env.PORT ?? 4010) }).start();
console.log(`fake Google Trends on ${fake.origin.href} (recorded answers for "pizza" and "bagel")`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
