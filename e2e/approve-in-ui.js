// Drives the real Temporal Web UI in headless Debian Chromium, as an operator approving a silo
// deployment: it opens the codec endpoint's /auth once (the cookie), points the UI at the codec
// endpoint with cross-origin credentials, finds the run with the query
// SiloStatus = "AWAITING_APPROVAL", checks that the current details and the activity summaries
// are decoded, and sends the decision with the UI's own Update dialog. SILO_E2E_EXPECT says what
// must follow: "approve" (the run completes) or "refuse" (the UI shows the policy's refusal).
// Every wait is bounded; each step leaves a screenshot, also when a step fails.
'use strict';

const path = require('path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

const ui = env('SILO_E2E_UI');
const codec = env('SILO_E2E_CODEC');
const token = env('SILO_E2E_CODEC_TOKEN');
const workflowId = env('SILO_E2E_WORKFLOW_ID');
const actor = env('SILO_E2E_ACTOR');
const expect = env('SILO_E2E_EXPECT');
const caseName = env('SILO_E2E_CASE');
const screenshots = env('SILO_E2E_SCREENSHOTS');
const chromiumPath = env('SILO_E2E_CHROMIUM');
const summaries = (process.env.SILO_E2E_SUMMARIES || '').split('|').filter((s) => s.length > 0);

const STEP_TIMEOUT = 30_000;
const RUN_TIMEOUT = 90_000;

let shot = 0;
async function screenshot(page, name) {
  shot += 1;
  const file = path.join(screenshots, `${caseName}-${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT });
  console.log(`screenshot ${file}`);
}

// A step that starts with a navigation may be tried again once: Chromium drops page loads with
// ERR_NETWORK_CHANGED when another process on the machine adds a network interface.
async function step(page, name, action, attempts = 1) {
  console.log(`step: ${name}`);
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await action();
        break;
      } catch (error) {
        if (attempt >= attempts) {
          throw error;
        }
        console.log(`step ${name}: attempt ${attempt} failed (${error.message.split('\n')[0]}); once more`);
      }
    }
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => {});
    const alerts = await page.locator('[role=alert]').allInnerTexts().catch(() => []);
    console.log(`alerts: ${JSON.stringify(alerts.filter((text) => text.trim().length > 0))}`);
    const dialog = await page.locator('[role=dialog], dialog').filter({ visible: true }).first()
      .evaluate((element) => element.outerHTML.replace(/ class="[^"]*"/g, '')).catch(() => null);
    if (dialog) {
      console.log(`the open dialog: ${dialog.slice(0, 3000)}`);
    }
    throw new Error(`step "${name}" failed: ${error.message}`);
  }
  await screenshot(page, name);
}

// Waits until text shows, as the operator sees it: in the page or in one of its frames (the UI
// renders Markdown such as the current details in a sandboxed frame, and keeps hidden copies of
// some panels in the page).
async function showsText(page, text, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      const count = await frame.getByText(text).filter({ visible: true }).count().catch(() => 0);
      if (count > 0) {
        return;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`"${text}" did not show within ${timeout / 1000} s`);
    }
    await page.waitForTimeout(250);
  }
}

// The running run among those the query lists (an earlier, ended run of the silo may match too).
function running(page) {
  return page.getByRole('row').filter({ hasText: workflowId }).filter({ hasText: /running/i }).first();
}

async function main() {
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Root in a container has no user namespaces for Chromium's sandbox.
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
    timeout: STEP_TIMEOUT,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    const page = await context.newPage();
    // What the UI asked of the server and the codec endpoint, for the log of a failed step.
    page.on('response', (response) => {
      const url = response.url();
      // Not /auth: its address holds the token.
      if (/\/api\/v1\/namespaces\/[^/]+\/workflows\/[^/]+\/update\//.test(url) || /\/(en|de)code\b/.test(url)) {
        console.log(`UI request: ${response.request().method()} ${url.replace(ui, '')} -> ${response.status()}`);
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        console.log(`UI console error: ${message.text()}`);
      }
    });

    await step(page, 'codec-cookie', async () => {
      const response = await page.goto(`${codec}/auth?token=${encodeURIComponent(token)}`);
      if (!response || !response.ok()) {
        throw new Error(`the codec endpoint's /auth answered ${response && response.status()}`);
      }
    });

    await step(page, 'codec-settings', async () => {
      await page.goto(`${ui}/namespaces/default/workflows`);
      await page.locator('[data-testid^=data-encoder-status]').click();
      await page.getByTestId('use-local-endpoint-input').check();
      await page.locator('#modal-content-data-encoder-settings textarea').fill(codec);
      await page.getByTestId('data-encoder-include-credentials').click();
      await page.locator('#modal-content-data-encoder-settings input#pass-access-credentials').isChecked()
        .then((checked) => { if (!checked) throw new Error('the credentials switch did not turn on'); });
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByTestId('data-encoder-title').waitFor({ state: 'hidden' });
    }, 2);

    const query = 'SiloStatus = "AWAITING_APPROVAL"';
    let runPage = null;
    await step(page, 'query-awaiting-approval', async () => {
      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
      runPage = await running(page).getByRole('link', { name: workflowId, exact: true }).getAttribute('href');
    }, 2);

    await step(page, 'run-details-decoded', async () => {
      await page.goto(new URL(runPage, ui).toString());
      await page.getByTestId('workflow-id-heading').first().waitFor();
      await page.getByTestId('user-metadata-tab').first().click();
      // The current details are encrypted in history; they read as text only through the codec.
      await showsText(page, 'AWAITING_APPROVAL');
      await showsText(page, /approve the deployment plan of acme-crm \(7 containers, 6 Fly apps/);
      await showsText(page, /Plan hash/);
    }, 2);

    await step(page, 'update-dialog', async () => {
      await page.getByRole('button', { name: 'More Actions' }).click();
      await page.getByTestId('update-button').filter({ visible: true }).first().click();
      const dialog = page.getByTestId('update-confirmation-modal').filter({ visible: true }).first();
      // With a worker up, the UI lists the run's Update handlers (from its metadata) to choose from.
      await dialog.getByTestId('update-select-button').click();
      await dialog.getByRole('option', { name: 'approve', exact: true }).click();
      const data = dialog.getByRole('textbox', { name: 'Data' });
      await data.click();
      await page.keyboard.insertText(JSON.stringify({ actor, comment: `${expect} in the Web UI` }));
      await dialog.getByRole('button', { name: 'Random UUID' }).click();
      await dialog.getByRole('heading', { name: 'Send an Update' }).click();
      await dialog.getByTestId('confirm-modal-button').waitFor();
    });

    if (expect === 'approve') {
      await step(page, 'update-accepted', async () => {
        const dialog = page.getByTestId('update-confirmation-modal').filter({ visible: true }).first();
        await dialog.getByTestId('confirm-modal-button').click();
        await dialog.waitFor({ state: 'hidden' });
      });
      await step(page, 'run-completed', async () => {
        await page.reload();
        await page.getByTestId('execution-status').filter({ hasText: /completed/i }).first()
          .waitFor({ timeout: RUN_TIMEOUT });
      });
      if (summaries.length > 0) {
        await step(page, 'event-summaries-decoded', async () => {
          await page.getByTestId('history-tab').first().click();
          // The rows of the event history say what they are, their summaries decoded through the codec.
          // All events on one page: the run has about 200, the page shows 100 unless told otherwise.
          await page.locator('select').filter({ visible: true }).filter({ has: page.locator('option', { hasText: '500' }) })
            .first().selectOption('500');
          for (const summary of summaries) {
            await showsText(page, summary);
          }
        });
      }
    } else {
      await step(page, 'update-refused', async () => {
        const dialog = page.getByTestId('update-confirmation-modal').filter({ visible: true }).first();
        await dialog.getByTestId('confirm-modal-button').click();
        // The dialog shows the validator's own reason: the worker leaves a refused decision's
        // message unencrypted (it names only the sender), while every other failure stays encoded.
        const refusal = dialog.locator('[role=alert]').filter({ hasText: /is not an allowed approver/ });
        await refusal.first().waitFor();
        console.log(`the UI shows the refusal: ${(await refusal.first().innerText()).trim()}`);
      });
      await step(page, 'run-still-awaiting-approval', async () => {
        await page.reload();
        await page.getByTestId('user-metadata-tab').first().click();
        await showsText(page, 'AWAITING_APPROVAL');
        await showsText(page, /approve the deployment plan of acme-crm/);
      }, 2);
    }
    console.log(`browser steps took ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
