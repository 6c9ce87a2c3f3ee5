-- wrk: POST what hb-broadcast posts to Telegram's sendMessage.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"chat_id":491700000001,"text":"Heute: Stadtfest auf dem Marktplatz."}'
