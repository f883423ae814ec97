(function () {
  var back = document.getElementById("back");
  if (back && history.length > 1) back.addEventListener("click", function (event) { event.preventDefault(); history.back(); });
})();
