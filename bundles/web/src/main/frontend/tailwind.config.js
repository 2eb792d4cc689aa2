// Colours come from CSS variables (console.css), so one set of utility classes serves every theme.
module.exports = {
  content: ['src/main/resources/templates/**/*.peb', 'src/main/frontend/console.js'],
  darkMode: ['class', '[data-theme="dark"]'],
  theme: {
    extend: {
      colors: {
        bg: 'rgb(var(--gf-bg) / <alpha-value>)',
        surface: 'rgb(var(--gf-surface) / <alpha-value>)',
        muted: 'rgb(var(--gf-muted) / <alpha-value>)',
        fg: 'rgb(var(--gf-fg) / <alpha-value>)',
        subtle: 'rgb(var(--gf-subtle) / <alpha-value>)',
        line: 'rgb(var(--gf-line) / <alpha-value>)',
        accent: 'rgb(var(--gf-accent) / <alpha-value>)',
        'on-accent': 'rgb(var(--gf-on-accent) / <alpha-value>)',
        danger: 'rgb(var(--gf-danger) / <alpha-value>)',
        ok: 'rgb(var(--gf-ok) / <alpha-value>)',
        warn: 'rgb(var(--gf-warn) / <alpha-value>)',
        note: 'rgb(var(--gf-note) / <alpha-value>)',
      },
    },
  },
  plugins: [],
};
