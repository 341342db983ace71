/*
 * Puts the web chat on another site:
 *   <script src="https://bot.example.com/embed.js" async></script>
 * adds a chat button in the bottom-right corner that opens the chat in an iframe. Optional attributes on the
 * script tag: data-locale="pl" (otherwise the host page's <html lang>), data-open="true" (open at once).
 * The host's origin must be listed in DIRECT_LINE_TRUSTED_ORIGINS, or the browser refuses to show the frame.
 */
(function () {
  'use strict';

  var settings = {/*settings*/};
  var script = document.currentScript;
  if (document.getElementById('csb-webchat-launcher')) return;

  var locale = (script && script.dataset.locale) || document.documentElement.lang || '';
  var src = settings.url + (locale ? '&locale=' + encodeURIComponent(locale) : '');
  var frame;

  var button = document.createElement('button');
  button.id = 'csb-webchat-launcher';
  button.type = 'button';
  button.setAttribute('aria-label', settings.title);
  button.setAttribute('aria-expanded', 'false');
  button.textContent = '💬';
  Object.assign(button.style, {
    position: 'fixed',
    right: '1rem',
    bottom: '1rem',
    zIndex: '2147483000',
    width: '3.5rem',
    height: '3.5rem',
    border: '0',
    borderRadius: '50%',
    background: settings.accentColor,
    color: '#fff',
    fontSize: '1.5rem',
    cursor: 'pointer',
    boxShadow: '0 4px 12px rgba(0,0,0,0.25)',
  });

  function toggle() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = src;
      frame.title = settings.title;
      frame.setAttribute('allow', 'clipboard-write');
      Object.assign(frame.style, {
        position: 'fixed',
        right: '1rem',
        bottom: '5.5rem',
        zIndex: '2147483000',
        width: 'min(24rem, calc(100vw - 2rem))',
        height: 'min(40rem, calc(100vh - 7rem))',
        border: '0',
        borderRadius: '0.75rem',
        boxShadow: '0 8px 24px rgba(0,0,0,0.25)',
        background: '#fff',
      });
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute('aria-expanded', String(!frame.hidden));
  }

  button.addEventListener('click', toggle);
  document.body.appendChild(button);
  if (script && script.dataset.open === 'true') toggle();
})();
