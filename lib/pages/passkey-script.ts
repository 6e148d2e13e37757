// The hosted pages' one script of our own (served as /assets/passkey.js by lib/pages/page-assets.ts):
// a button with data-ceremony runs a WebAuthn ceremony with @simplewebauthn/browser on the options
// the server rendered into the page (a JSON script element), puts the response into the form's
// `credential` field and submits the form. Everything else on the pages works without JavaScript.

export const PASSKEY_SCRIPT = `(function () {
  'use strict';
  function run(button) {
    var form = button.form;
    var status = document.getElementById(button.getAttribute('data-status'));
    var optionsElement = document.getElementById(button.getAttribute('data-options'));
    if (!form || !optionsElement) return;
    if (!form.reportValidity()) return;
    var browser = window.SimpleWebAuthnBrowser;
    if (!browser || !browser.browserSupportsWebAuthn()) {
      if (status) status.textContent = 'This browser cannot use passkeys.';
      return;
    }
    var optionsJSON = JSON.parse(optionsElement.textContent);
    var start = button.getAttribute('data-ceremony') === 'register' ? browser.startRegistration : browser.startAuthentication;
    button.disabled = true;
    if (status) status.textContent = 'Waiting for your passkey…';
    start({ optionsJSON: optionsJSON }).then(
      function (response) {
        form.elements.credential.value = JSON.stringify(response);
        form.submit();
      },
      function (error) {
        button.disabled = false;
        if (status) status.textContent = 'The passkey was not used (' + (error && error.name ? error.name : 'error') + '). Try again or choose another way.';
      },
    );
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('button[data-ceremony]') : null;
    if (!button) return;
    event.preventDefault();
    run(button);
  });
})();
`;
