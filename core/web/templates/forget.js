try { localStorage.removeItem("sanshu:" + location.pathname.replace(/\/done$/, "")); } catch (e) {}
