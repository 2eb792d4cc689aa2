// GoatFlow console behaviour, as Alpine.js components for its CSP build (no eval: the page's CSP allows only
// scripts from this site). Pages work without it where they can: forms post normally.
document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine;

  // Login through the API's own login route (one login path): the session cookie comes back HttpOnly. When the
  // account has a second factor, the password step answers second_factor_required with an HttpOnly pending
  // cookie, and the code form completes the login through /api/v1/auth/2fa/verify.
  const errorOf = async (response) => {
    try {
      return ((await response.json()).error || {}).code || '';
    } catch (e) {
      return '';
    }
  };
  // WebAuthn: the API sends options and takes answers as JSON with base64url for binary fields (the WebAuthn
  // Level 3 JSON forms); these convert them for navigator.credentials, field by field, so only what the server
  // reads is sent back.
  const fromB64 = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
  };
  const toB64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const descriptors = (list) => (list || []).map((d) => ({ ...d, id: fromB64(d.id) }));
  const webauthn = {
    supported: () => typeof window.PublicKeyCredential === 'function' && !!navigator.credentials,
    async create(publicKey) {
      const options = { ...publicKey, challenge: fromB64(publicKey.challenge),
        user: { ...publicKey.user, id: fromB64(publicKey.user.id) },
        excludeCredentials: descriptors(publicKey.excludeCredentials) };
      const credential = await navigator.credentials.create({ publicKey: options });
      const response = credential.response;
      return { id: credential.id, rawId: toB64(credential.rawId), type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        response: { clientDataJSON: toB64(response.clientDataJSON),
          attestationObject: toB64(response.attestationObject),
          transports: response.getTransports ? response.getTransports() : [] },
        clientExtensionResults: credential.getClientExtensionResults() };
    },
    async get(publicKey) {
      const options = { ...publicKey, challenge: fromB64(publicKey.challenge),
        allowCredentials: descriptors(publicKey.allowCredentials) };
      const credential = await navigator.credentials.get({ publicKey: options });
      const response = credential.response;
      return { id: credential.id, rawId: toB64(credential.rawId), type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        response: { clientDataJSON: toB64(response.clientDataJSON),
          authenticatorData: toB64(response.authenticatorData), signature: toB64(response.signature),
          userHandle: response.userHandle ? toB64(response.userHandle) : undefined },
        clientExtensionResults: credential.getClientExtensionResults() };
    },
  };
  const postJson = (url, body) => fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
    body: JSON.stringify(body),
  });

  Alpine.data('loginForm', () => ({
    error: '',
    busy: false,
    methods: [],
    get hasWebAuthn() { return webauthn.supported(); },
    get offersCode() { return this.methods.includes('totp'); },
    get offersKey() { return this.methods.includes('webauthn') && webauthn.supported(); },
    get keyOnly() { return this.offersKey && !this.offersCode; },
    // only keys, and a browser without WebAuthn: say so rather than show an empty step
    get noUsableFactor() { return this.methods.length > 0 && !this.offersKey && !this.offersCode; },
    async submit(event) {
      const form = event.target;
      this.busy = true;
      this.error = '';
      try {
        const response = await fetch(form.dataset.endpoint, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify({ login: form.elements.login.value, password: form.elements.password.value, cookie: true }),
        });
        if (response.ok) {
          const body = await response.json();
          if (body.data && body.data.second_factor_required) {
            const second = this.$root.querySelector('#second-factor');
            this.methods = body.data.methods || [];
            form.hidden = true;
            second.hidden = false;
            second.elements.code.required = this.offersCode;
            if (this.offersCode) {
              second.elements.code.focus();
            } else if (this.offersKey) {
              this.$nextTick(() => second.querySelector('#security-key-use').focus());
            }
            return;
          }
          window.location.assign(form.dataset.next);
          return;
        }
        const code = await errorOf(response);
        this.error = form.dataset['msg' + (code === 'TOO_MANY_ATTEMPTS' ? 'Throttled' : code === 'VALIDATION_FAILED' ? 'Missing' : 'Invalid')];
      } catch (e) {
        this.error = form.dataset.msgNetwork;
      } finally {
        this.busy = false;
      }
    },
    async verify(event) {
      const form = event.target;
      this.busy = true;
      this.error = '';
      try {
        const response = await fetch('/api/v1/auth/2fa/verify', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify({ code: form.elements.code.value.trim() }),
        });
        if (response.ok) {
          window.location.assign(form.dataset.next);
          return;
        }
        const code = await errorOf(response);
        if (code === 'LOGIN_EXPIRED') {
          // start again with the password
          form.hidden = true;
          this.$root.querySelector('form[data-endpoint]').hidden = false;
          this.error = form.dataset.msgExpired;
          return;
        }
        form.elements.code.value = '';
        this.error = form.dataset[code === 'TOO_MANY_ATTEMPTS' ? 'msgThrottled' : 'msgInvalid'];
      } catch (e) {
        this.error = form.dataset.msgNetwork;
      } finally {
        this.busy = false;
      }
    },
    // Passwordless: any passkey of this site; the key decides whether an agent or a customer signs in.
    async passkey() {
      const form = this.$root.querySelector('form[data-endpoint]');
      this.busy = true;
      this.error = '';
      try {
        const begun = await postJson('/api/v1/auth/passkey/begin', {});
        if (!begun.ok) {
          this.error = form.dataset.msgPasskey;
          return;
        }
        const data = (await begun.json()).data;
        const credential = await webauthn.get(data.public_key);
        const response = await postJson('/api/v1/auth/passkey/finish',
          { ceremony: data.ceremony, credential, cookie: true });
        if (response.ok) {
          const kind = (await response.json()).data.user.kind;
          window.location.assign(kind === form.dataset.kind ? form.dataset.next
            : kind === 'customer' ? '/customer/tickets' : '/agent/dashboard');
          return;
        }
        this.error = form.dataset.msgPasskey;
      } catch (e) {
        this.error = form.dataset[e && e.name === 'NotAllowedError' ? 'msgKeyCancelled' : 'msgPasskey'];
      } finally {
        this.busy = false;
      }
    },
    // The second step with a security key (or a passkey) instead of a code.
    async securityKey() {
      const form = this.$root.querySelector('#second-factor');
      this.busy = true;
      this.error = '';
      try {
        const begun = await postJson('/api/v1/auth/2fa/webauthn/begin', {});
        if (!begun.ok) {
          this.keyRefused(form, await errorOf(begun));
          return;
        }
        const data = (await begun.json()).data;
        const credential = await webauthn.get(data.public_key);
        const response = await postJson('/api/v1/auth/2fa/webauthn/finish', { ceremony: data.ceremony, credential });
        if (response.ok) {
          window.location.assign(form.dataset.next);
          return;
        }
        this.keyRefused(form, await errorOf(response));
      } catch (e) {
        this.error = form.dataset[e && e.name === 'NotAllowedError' ? 'msgKeyCancelled' : 'msgKey'];
      } finally {
        this.busy = false;
      }
    },
    keyRefused(form, code) {
      if (code === 'LOGIN_EXPIRED') {
        form.hidden = true;
        this.$root.querySelector('form[data-endpoint]').hidden = false;
        this.error = form.dataset.msgExpired;
        return;
      }
      this.error = form.dataset[code === 'TOO_MANY_ATTEMPTS' ? 'msgThrottled' : 'msgKey'];
    },
    get hasError() { return this.error !== ''; },
  }));

  // Registering a passkey or a security key from the profile page; the page lists and removes them.
  Alpine.data('webauthnKeys', () => ({
    error: '',
    busy: false,
    get supported() { return webauthn.supported(); },
    get unsupported() { return !webauthn.supported(); },
    async add(event) {
      const root = this.$root;
      this.busy = true;
      this.error = '';
      try {
        const password = root.querySelector('#key-password');
        const begun = await postJson('/api/v1/users/me/webauthn/register/begin',
          { type: event.currentTarget.dataset.type, current_password: password.value });
        password.value = '';
        if (!begun.ok) {
          const code = await errorOf(begun);
          this.error = root.dataset[code === 'WRONG_PASSWORD' || code === 'VALIDATION_FAILED' ? 'msgPassword'
            : code === 'TOO_MANY_ATTEMPTS' ? 'msgThrottled' : 'msgFailed'];
          return;
        }
        const data = (await begun.json()).data;
        const credential = await webauthn.create(data.public_key);
        const response = await postJson('/api/v1/users/me/webauthn/register/finish',
          { ceremony: data.ceremony, credential, name: root.querySelector('#key-name').value.trim() });
        if (response.ok) {
          window.location.assign(root.dataset.done);
          return;
        }
        const code = await errorOf(response);
        this.error = root.dataset[code === 'WEBAUTHN_NOT_A_PASSKEY' ? 'msgNotPasskey' : 'msgFailed'];
      } catch (e) {
        this.error = root.dataset[e && e.name === 'InvalidStateError' ? 'msgKnown'
          : e && e.name === 'NotAllowedError' ? 'msgCancelled' : 'msgFailed'];
      } finally {
        this.busy = false;
      }
    },
    get hasError() { return this.error !== ''; },
  }));

  // Select every ticket of the list for a bulk action.
  Alpine.data('bulkSelect', () => ({
    toggleAll(event) {
      const on = event.target.checked;
      this.$root.querySelectorAll('input[name="ticket_id"]').forEach((box) => { box.checked = on; });
    },
  }));

  // File dropzone: drag files onto it or pick them; its form is sent with XHR to show upload progress.
  Alpine.data('dropzone', () => ({
    over: false,
    names: '',
    percent: 0,
    uploading: false,
    init() {
      const form = this.$root.closest('form');
      if (form) { form.addEventListener('submit', (event) => this.send(event)); }
    },
    get zoneClass() { return this.over ? 'gf-dropzone gf-over' : 'gf-dropzone'; },
    dragover() { this.over = true; },
    dragleave() { this.over = false; },
    drop(event) {
      this.over = false;
      const input = this.$root.querySelector('input[type=file]');
      input.files = event.dataTransfer.files;
      this.picked();
    },
    picked() {
      const input = this.$root.querySelector('input[type=file]');
      this.names = Array.from(input.files).map((f) => f.name).join(', ');
    },
    send(event) {
      const form = event.target;
      if (!window.XMLHttpRequest || !form) { return; }
      event.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      this.uploading = true;
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) { this.percent = Math.round((e.loaded * 100) / e.total); } };
      xhr.onload = () => {
        if (xhr.responseURL && xhr.status < 400) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      };
      xhr.onerror = () => { this.uploading = false; form.submit(); };
      xhr.send(new FormData(form));
    },
  }));

  // Who else is viewing this ticket, live (server-sent events; the list lives in the database, so every
  // instance sees every viewer).
  Alpine.data('presence', () => ({
    viewers: [],
    init() {
      const url = this.$root.dataset.stream;
      if (!url || !window.EventSource) { return; }
      const source = new EventSource(url);
      source.addEventListener('viewers', (e) => {
        try { this.viewers = JSON.parse(e.data); } catch (err) { this.viewers = []; }
      });
      window.addEventListener('beforeunload', () => source.close());
    },
    get others() { return this.viewers.length; },
  }));
});
