// The options page: two switches kept in storage.local (lib/storage.js), both
// off by default. Each change is saved at once.
import { getOptions, setOption } from '../lib/storage.js';

const api = globalThis.browser ?? globalThis.chrome;
const area = api.storage.local;

function localize() {
  document.documentElement.lang = api.i18n.getUILanguage();
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = api.i18n.getMessage(node.dataset.i18n);
  }
}

async function init() {
  localize();
  const form = document.getElementById('options');
  const status = document.getElementById('status');
  const options = await getOptions(area);
  for (const [name, value] of Object.entries(options)) form.elements[name].checked = value;
  form.addEventListener('change', (event) => {
    const box = event.target;
    setOption(area, box.name, box.checked).then(
      () => { status.textContent = api.i18n.getMessage('optionsSaved'); },
      () => { box.checked = !box.checked; },
    );
  });
}

init().catch(() => {});
