// The list of imported files checks again every two seconds while files are still being read.
(function () {
  const status = document.getElementById("import-progress");
  if (status && Number(status.dataset.pending) > 0) {
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
