// A GET form would send every field, and empty ones (status=) are refused as malformed: the
// filter forms leave them out of the query string. Loaded once per form, after it.
(function () {
  var form = document.getElementById(document.currentScript.dataset.form);
  if (!form) return;
  form.addEventListener('submit', function (e) {
    for (var i = 0; i < e.target.elements.length; i++) {
      var el = e.target.elements[i];
      if (el.name && !el.value) el.disabled = true;
    }
  });
})();
