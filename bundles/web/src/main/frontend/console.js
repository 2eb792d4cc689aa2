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
  Alpine.data('loginForm', () => ({
    error: '',
    busy: false,
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
            form.hidden = true;
            second.hidden = false;
            second.elements.code.focus();
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
