// Starts swagger-ui on the documents listed in swagger-config.json, which scripts/render-gateway.mjs
// writes beside this file (one entry per public service, /api/<service>/openapi.json).
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    configUrl: '/api/docs/swagger-config.json',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
