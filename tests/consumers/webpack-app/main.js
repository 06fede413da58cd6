import "../browser-app.js";
