<map version="freemind 1.0.1">
<node TEXT="&#x5b59;&#23376;" FOLDED="false">
<node TEXT="Left" POSITION="left" FOLDED="true" LINK="https://a.example/">
<icon BUILTIN="yes"/>
<attribute NAME="k" VALUE="v"/>
<richcontent TYPE="NOTE"><html><head></head><body><p>first  line<br/>second</p></body></html></richcontent>
<node TEXT="leaf"/>
</node>
<node TEXT="Right" POSITION="right"/>
</node>
</map>
