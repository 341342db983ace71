import { startTestBot } from '../helpers/harness';
it('starts', async () => {
  const bot = await startTestBot();
  const r = await bot.api('/api/admin/faq');
  console.log(r.status, (await r.text()).slice(0, 200));
  const p = await fetch(`${bot.url}/admin`);
  console.log(p.status, p.headers.get('content-security-policy'), (await p.text()).slice(0, 50));
  await bot.close();
});
