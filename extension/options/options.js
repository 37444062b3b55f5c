// The options page: two switches, both off by default. The background keeps
// them where content scripts cannot write (lib/settings.js) and takes changes
// from this page only; each change is saved at once.
const api = globalThis.browser ?? globalThis.chrome;

function localize() {
  document.documentElement.lang = api.i18n.getUILanguage();
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = api.i18n.getMessage(node.dataset.i18n);
  }
}

// options sends one settings message and resolves to the options, or throws.
async function options(message) {
  const answer = await api.runtime.sendMessage(message);
  if (!answer || !answer.ok) throw new Error(answer?.error?.message ?? 'no answer from the background');
  return answer.options;
}

async function init() {
  localize();
  const form = document.getElementById('options');
  const status = document.getElementById('status');
  for (const [name, value] of Object.entries(await options({ type: 'getOptions' }))) form.elements[name].checked = value;
  form.addEventListener('change', (event) => {
    const box = event.target;
    options({ type: 'setOption', name: box.name, value: box.checked }).then(
      () => { status.textContent = api.i18n.getMessage('optionsSaved'); },
      () => { box.checked = !box.checked; },
    );
  });
  form.dataset.ready = '';
}

init().catch(() => {});
