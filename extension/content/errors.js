// What to tell the user on the page when nidan cannot give a code: a
// localized sentence and, where a command fixes it, that command.
(function (nidan) {
const { t } = nidan.i18n;

// noticeFor maps a failed background answer ({ok:false, error:{code}, host,
// marketplaces, protocol?}) to a notice spec for panel.show().
function noticeFor(answer) {
  const code = answer && answer.error ? answer.error.code : 'internal';
  const spec = { id: 'error', kind: 'error' };
  switch (code) {
    case 'host_missing':
      return { ...spec, title: t('errHostMissing'), command: 'nidan install' };
    case 'host_failed':
      return { ...spec, title: t('errHostFailed'), command: 'nidan doctor' };
    case 'host_too_old':
      return { ...spec, title: t('errHostTooOld', answer.protocol ?? 0) };
    case 'host_too_new':
      return { ...spec, title: t('errHostTooNew', answer.protocol ?? 0) };
    case 'no_account': {
      const keys = (answer.marketplaces || []).join(',');
      return { ...spec, kind: 'warn', title: t('errNoAccount', answer.host || ''), command: keys ? `nidan add --marketplace ${keys}` : 'nidan add' };
    }
    case 'vault_missing':
      return { ...spec, kind: 'warn', title: t('errVaultMissing'), command: 'nidan init' };
    case 'vault_unreadable':
      return { ...spec, title: t('errVaultUnreadable'), command: 'nidan doctor' };
    case 'not_a_device': {
      const key = typeof answer.device_key === 'string' ? answer.device_key : 'KEY';
      return { ...spec, title: t('errNotADevice'), command: `nidan devices add ${key} --name NAME` };
    }
    default:
      return { ...spec, title: t('errOther', code), command: 'nidan doctor' };
  }
}

nidan.errors = { noticeFor };
})(globalThis.nidan ??= {});
